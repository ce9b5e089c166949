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

diesel::table! {
    migrants (id) {
        id -> Text,
        given_names -> Text,
        family_names -> Text,
        search_name -> Text,
        birth_date -> Date,
        sex -> Text,
        document_number -> Nullable<Text>,
        passport_number -> Nullable<Text>,
        phone -> Nullable<Text>,
        address -> Nullable<Text>,
        relative_name -> Nullable<Text>,
        relative_phone -> Nullable<Text>,
        origin_municipality_code -> Nullable<Text>,
        origin_department_code -> Nullable<Text>,
        education_level -> Nullable<Text>,
        years_experience -> Nullable<Integer>,
        english_level -> Nullable<Text>,
        needs_medical_attention -> Bool,
        medical_conditions -> Nullable<Text>,
        health_notes -> Nullable<Text>,
        unaccompanied_minor -> Bool,
        family_separation -> Bool,
        protection_needs -> Bool,
        do_not_share -> Bool,
        protection_notes -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        latest_arrival_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    arrivals (id) {
        id -> Text,
        migrant_id -> Text,
        arrived_at -> Timestamp,
        flight_code -> Nullable<Text>,
        us_state -> Nullable<Text>,
        months_in_us -> Nullable<Integer>,
        recorded_by -> Text,
        created_at -> Timestamp,
        flight_id -> Nullable<Text>,
        status -> Text,
        manifest_line -> Nullable<Integer>,
    }
}

diesel::table! {
    flights (id) {
        id -> Text,
        code -> Text,
        origin_airport -> Text,
        scheduled_at -> Timestamp,
        landed_at -> Nullable<Timestamp>,
        status -> Text,
        created_by -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    assistance (id) {
        id -> Text,
        migrant_id -> Text,
        arrival_id -> Nullable<Text>,
        kind -> Text,
        given_at -> Timestamp,
        given_by -> Text,
        institution_code -> Text,
        destination_municipality_code -> Nullable<Text>,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    consents (id) {
        id -> Text,
        migrant_id -> Text,
        institution_code -> Text,
        purpose -> Text,
        granted_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        recorded_by -> Text,
        revoked_by -> Nullable<Text>,
        version -> Integer,
    }
}

diesel::table! {
    audit_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    audit_events (seq) {
        seq -> BigInt,
        occurred_at -> Timestamp,
        actor_subject -> Text,
        actor_institution -> Text,
        actor_role -> Text,
        action -> Text,
        entity -> Text,
        record_ids -> Text,
        slices -> Text,
        request_id -> Text,
        detail -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    idempotency_keys (institution_code, subject, idem_key) {
        subject -> Text,
        institution_code -> Text,
        idem_key -> Text,
        operation -> Text,
        result_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    consent_counts (institution_code, purpose, expires_on, department_code) {
        institution_code -> Text,
        purpose -> Text,
        expires_on -> Date,
        department_code -> Text,
        n -> BigInt,
    }
}

diesel::table! {
    employers (id) {
        id -> Text,
        name -> Text,
        search_name -> Text,
        sector -> Text,
        nit -> Text,
        municipality_code -> Text,
        contact_name -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        contact_email -> Nullable<Text>,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    job_vacancies (id) {
        id -> Text,
        posted_by -> Text,
        employer_id -> Nullable<Text>,
        title -> Text,
        isco_code -> Text,
        required_certifications -> Text,
        preferred_certifications -> Text,
        min_education -> Nullable<Text>,
        languages -> Text,
        min_english -> Nullable<Text>,
        municipality_code -> Text,
        department_code -> Text,
        openings -> Integer,
        salary_min_centavos -> Nullable<BigInt>,
        salary_max_centavos -> Nullable<BigInt>,
        status -> Text,
        closes_on -> Nullable<Date>,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(municipalities -> departments (department_code));
diesel::joinable!(arrivals -> migrants (migrant_id));
diesel::joinable!(consents -> migrants (migrant_id));
diesel::joinable!(arrivals -> flights (flight_id));
diesel::joinable!(assistance -> migrants (migrant_id));
diesel::table! {
    emergency_accesses (id) {
        id -> Text,
        migrant_id -> Text,
        institution_code -> Text,
        subject -> Text,
        role -> Text,
        reason -> Text,
        opened_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    erasures (migrant_id) {
        migrant_id -> Text,
        erased_at -> Timestamp,
        erased_by -> Text,
        reason -> Text,
    }
}

diesel::joinable!(job_vacancies -> employers (employer_id));
diesel::table! {
    occupations (code) {
        code -> Text,
        level -> Text,
        title -> Text,
        parent_code -> Nullable<Text>,
    }
}

diesel::table! {
    migrant_occupations (migrant_id, position) {
        migrant_id -> Text,
        position -> Integer,
        isco_code -> Text,
        years -> Nullable<Integer>,
        country -> Nullable<Text>,
        department_code -> Nullable<Text>,
        municipality_code -> Nullable<Text>,
        years_counted -> Integer,
    }
}

diesel::table! {
    migrant_languages (migrant_id, position) {
        migrant_id -> Text,
        position -> Integer,
        code -> Text,
    }
}

diesel::table! {
    migrant_name_words (migrant_id, word) {
        migrant_id -> Text,
        word -> Text,
    }
}

diesel::table! {
    migrant_certifications (migrant_id, position) {
        migrant_id -> Text,
        position -> Integer,
        name -> Text,
        search_name -> Text,
    }
}

diesel::table! {
    job_referrals (id) {
        id -> Text,
        migrant_id -> Text,
        vacancy_id -> Text,
        status -> Text,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}
diesel::table! {
    job_referral_events (referral_id, at) {
        referral_id -> Text,
        status -> Text,
        by -> Text,
        at -> Timestamp,
    }
}
diesel::joinable!(job_referrals -> migrants (migrant_id));
diesel::joinable!(job_referrals -> job_vacancies (vacancy_id));

diesel::table! {
    training_courses (id) {
        id -> Text,
        name -> Text,
        provider -> Text,
        isco_code -> Text,
        municipality_code -> Text,
        department_code -> Text,
        starts_on -> Date,
        ends_on -> Date,
        capacity -> Integer,
        seats_taken -> Integer,
        status -> Text,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}
diesel::table! {
    training_enrolments (id) {
        id -> Text,
        migrant_id -> Text,
        course_id -> Text,
        status -> Text,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}
diesel::table! {
    training_enrolment_events (enrolment_id, at) {
        enrolment_id -> Text,
        status -> Text,
        by -> Text,
        at -> Timestamp,
    }
}
diesel::joinable!(training_enrolments -> migrants (migrant_id));
diesel::joinable!(training_enrolments -> training_courses (course_id));
diesel::table! {
    enterprise_projects (id) {
        id -> Text,
        migrant_id -> Text,
        activity -> Text,
        isco_code -> Nullable<Text>,
        municipality_code -> Nullable<Text>,
        department_code -> Text,
        grant_centavos -> BigInt,
        status -> Text,
        funded_on -> Nullable<Date>,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}
diesel::table! {
    enterprise_project_events (project_id, at) {
        project_id -> Text,
        status -> Text,
        by -> Text,
        at -> Timestamp,
    }
}
diesel::table! {
    enterprise_project_notes (id) {
        id -> Text,
        project_id -> Text,
        migrant_id -> Text,
        note_date -> Date,
        text -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}
diesel::joinable!(enterprise_projects -> migrants (migrant_id));

diesel::table! {
    education_records (id) {
        id -> Text,
        migrant_id -> Text,
        level -> Text,
        field_code -> Text,
        institution -> Nullable<Text>,
        country -> Text,
        years_completed -> Integer,
        credits -> Nullable<Integer>,
        completed -> Bool,
        last_year -> Nullable<Integer>,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    university_programs (id) {
        id -> Text,
        university_code -> Text,
        name -> Text,
        faculty -> Text,
        level -> Text,
        field_code -> Text,
        modality -> Text,
        campus_municipality_code -> Text,
        campus_department_code -> Text,
        seats_per_intake -> Integer,
        min_education -> Text,
        languages -> Text,
        tuition_centavos -> Nullable<BigInt>,
        scholarships_offered -> Bool,
        active -> Bool,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    program_intakes (id) {
        id -> Text,
        program_id -> Text,
        starts_on -> Date,
        seats -> Integer,
        seats_taken -> Integer,
    }
}

diesel::table! {
    study_applications (id) {
        id -> Text,
        migrant_id -> Text,
        program_id -> Text,
        intake_id -> Text,
        university_code -> Text,
        status -> Text,
        scholarship_percent -> Nullable<Integer>,
        scholarship_centavos -> Nullable<BigInt>,
        recognised_record_id -> Nullable<Text>,
        recognised_years -> Nullable<Integer>,
        recognised_credits -> Nullable<Integer>,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    study_application_events (application_id, at) {
        application_id -> Text,
        status -> Text,
        by -> Text,
        at -> Timestamp,
    }
}
diesel::joinable!(education_records -> migrants (migrant_id));
diesel::joinable!(program_intakes -> university_programs (program_id));
diesel::joinable!(study_applications -> migrants (migrant_id));
diesel::joinable!(study_applications -> university_programs (program_id));
diesel::joinable!(study_applications -> program_intakes (intake_id));

diesel::allow_tables_to_appear_in_same_query!(
    education_records,
    university_programs,
    program_intakes,
    study_applications,
    study_application_events,
    training_courses,
    training_enrolments,
    training_enrolment_events,
    enterprise_projects,
    enterprise_project_events,
    enterprise_project_notes,
    job_referrals,
    job_referral_events,
    institutions,
    departments,
    municipalities,
    migrants,
    arrivals,
    consents,
    audit_head,
    audit_events,
    idempotency_keys,
    flights,
    assistance,
    consent_counts,
    emergency_accesses,
    erasures,
    employers,
    job_vacancies,
    occupations,
    migrant_occupations,
    migrant_languages,
    migrant_certifications,
    migrant_name_words,
);
diesel::joinable!(migrant_occupations -> migrants (migrant_id));
diesel::joinable!(migrant_languages -> migrants (migrant_id));
diesel::joinable!(migrant_certifications -> migrants (migrant_id));
diesel::joinable!(migrant_name_words -> migrants (migrant_id));
