//! Table definitions shared by both backends (portable types only).

diesel::table! {
    institutions (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        kind -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    departments (code) {
        code -> Text,
        name -> Text,
        iso_code -> Text,
    }
}

diesel::table! {
    municipalities (code) {
        code -> Text,
        department_code -> Text,
        name -> Text,
    }
}

diesel::joinable!(municipalities -> departments (department_code));
diesel::allow_tables_to_appear_in_same_query!(institutions, departments, municipalities);
