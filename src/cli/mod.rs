//! The `reintegra` command line.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::auth::token::{mint, parse_ttl, TokenRequest};
use crate::config::Settings;
use crate::domain::institution::{InstitutionKind, Role};
use crate::error::StartupError;

mod ops;
pub mod seed;
mod stats;
mod studies;
mod subject;

/// Reintegra: GraphQL API for the reintegration of people returned to Guatemala.
///
/// Configuration comes from REINTEGRA_* environment variables (see README).
#[derive(Parser, Debug)]
#[command(name = "reintegra", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Migrate the database, then serve the API (GraphQL at /graphql).
    Serve,
    /// Apply pending migrations (or revert the last one with --revert) and exit.
    Migrate {
        /// Revert the most recent migration instead of applying.
        #[arg(long)]
        revert: bool,
    },
    /// Mint a development token signed with REINTEGRA_JWT_SECRET (token on the last line).
    Token {
        /// Institution code, e.g. MINTRAB.
        #[arg(long)]
        institution: String,
        /// Role, e.g. labour_officer.
        #[arg(long)]
        role: String,
        /// Subject (user or client id), e.g. ana@mintrab.gob.gt.
        #[arg(long, default_value = "developer@reintegra.local")]
        subject: String,
        /// Lifetime: 90s, 30m, 8h, 7d.
        #[arg(long, default_value = "8h")]
        ttl: String,
    },
    /// Insert N realistic synthetic returnees (demo and load-test data) in one transaction.
    Seed {
        /// How many people to create (1 to 1,000,000).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        demo: u32,
        /// Random seed; on an empty database the same seed gives the same people.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Import a flight manifest CSV (columns in the README) for an existing flight.
    ImportManifest {
        /// Code of the flight the manifest belongs to.
        #[arg(long)]
        flight: String,
        /// The CSV file.
        file: String,
    },
    /// Audit log operations.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Write everything held on one person (every table, the audit events
    /// about them) as JSON: a data-subject request answered at the office.
    SubjectExport {
        /// The person's record id.
        #[arg(long)]
        id: String,
        /// File to write (default: standard output).
        #[arg(long)]
        output: Option<String>,
    },
    /// Write a university's study applications as CSV (the export of
    /// `studyApplicationsCsv`), audited as a read by that university.
    ApplicationsCsv {
        /// The university's code, e.g. USAC.
        #[arg(long)]
        university: String,
        /// File to write (default: standard output).
        #[arg(long)]
        output: Option<String>,
    },
    /// Pseudonymise records with no activity for REINTEGRA_RETENTION_YEARS
    /// (default 10), never one with an open consent or case.
    Retention {
        /// Only report how many records are due.
        #[arg(long, conflicts_with = "apply", required_unless_present = "apply")]
        dry_run: bool,
        /// Pseudonymise them.
        #[arg(long)]
        apply: bool,
    },
    /// Print the `stats` tables as CSV, as the given institution and role
    /// would read them (small cells empty outside IOM).
    Stats {
        /// First day, YYYY-MM-DD (Guatemala).
        #[arg(long)]
        from: String,
        /// Last day, inclusive.
        #[arg(long)]
        to: String,
        /// Rows: MONTH, DEPARTMENT, MUNICIPALITY, SEX or AGE_BAND.
        #[arg(long)]
        by: Option<String>,
        /// Institution code, e.g. MINTRAB.
        #[arg(long, default_value = "IOM")]
        institution: String,
        /// Role, e.g. labour_officer.
        #[arg(long, default_value = "auditor")]
        role: String,
        /// CSV output (the only format).
        #[arg(long)]
        csv: bool,
    },
    /// Print the GraphQL schema (SDL), or write it to --output.
    ExportSchema {
        /// File to write (default: standard output).
        #[arg(long)]
        output: Option<String>,
        /// Only what this role may use (e.g. labour_officer), for a partner's
        /// code generation; without it, the full contract.
        #[arg(long)]
        role: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum AuditCommand {
    /// Verify the hash chain; exit 1 and name the first broken event.
    Verify,
}

/// Parses arguments and runs the chosen subcommand.
pub fn run() -> ExitCode {
    crate::telemetry::init();
    let cli = Cli::parse();
    match dispatch(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("reintegra: {err}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(command: Command) -> Result<(), StartupError> {
    let settings = Settings::from_env()?;
    match command {
        Command::Serve => actix_web::rt::System::new().block_on(crate::startup::serve(settings)),
        Command::Migrate { revert } => migrate(&settings, revert),
        Command::Token {
            institution,
            role,
            subject,
            ttl,
        } => token(&settings, institution, role, subject, &ttl),
        Command::Seed { demo, seed } => seed::run(&settings, demo, seed),
        Command::ImportManifest { flight, file } => ops::import_manifest(&settings, &flight, &file),
        Command::Audit {
            command: AuditCommand::Verify,
        } => ops::audit_verify(&settings),
        Command::Retention { apply, .. } => subject::retention(&settings, apply),
        Command::SubjectExport { id, output } => subject::export(&settings, &id, output.as_deref()),
        Command::ApplicationsCsv { university, output } => {
            studies::applications_csv(&settings, &university, output.as_deref())
        }
        Command::ExportSchema { output, role } => export_schema(settings, output, role),
        Command::Stats {
            from,
            to,
            by,
            institution,
            role,
            ..
        } => {
            let role = parse_role(&role)?;
            let code = institution.to_ascii_uppercase();
            check_institution(&settings, &code, role)?;
            stats::csv(&settings, &code, role, &from, &to, by.as_deref())
        }
    }
}

fn migrate(settings: &Settings, revert: bool) -> Result<(), StartupError> {
    if revert {
        let mut conn = crate::db::establish(&settings.database_url)
            .map_err(|e| StartupError::Database(format!("cannot connect: {e}")))?;
        let name = crate::db::migrate::revert_last(&mut conn)?;
        println!("reverted {name}");
    } else {
        let n = crate::db::migrate::connect_and_migrate(&settings.database_url)?;
        println!("applied {n} migration(s)");
    }
    Ok(())
}

fn token(
    settings: &Settings,
    institution: String,
    role: String,
    subject: String,
    ttl: &str,
) -> Result<(), StartupError> {
    let role_parsed = parse_role(&role)?;
    let ttl = parse_ttl(ttl).map_err(StartupError::Config)?;
    check_institution(settings, &institution.to_ascii_uppercase(), role_parsed)?;
    if settings.uses_dev_secret() {
        eprintln!("warning: signing with the development secret (set REINTEGRA_JWT_SECRET)");
    }
    eprintln!(
        "token for {subject} at {institution} as {} (kind {}), valid {}s",
        role_parsed.as_str(),
        role_parsed.kind().as_str(),
        ttl.as_secs()
    );
    let request = TokenRequest {
        subject,
        institution: institution.to_ascii_uppercase(),
        role,
        ttl,
    };
    let token = mint(&settings.jwt, &request).map_err(StartupError::Other)?;
    println!("{token}");
    Ok(())
}

/// A role by name, or the list of valid ones.
fn parse_role(role: &str) -> Result<Role, StartupError> {
    Role::parse(role).ok_or_else(|| {
        StartupError::Config(format!("unknown role {role:?}; roles: {}", roles_of(None)))
    })
}

/// Role names, of one institution kind or of all.
fn roles_of(kind: Option<InstitutionKind>) -> String {
    Role::all()
        .into_iter()
        .filter(|r| kind.is_none_or(|k| r.kind() == k))
        .map(Role::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Refuses what the server would refuse: an unknown or inactive
/// institution, or a role of another kind.
fn check_institution(settings: &Settings, code: &str, role: Role) -> Result<(), StartupError> {
    crate::db::migrate::connect_and_migrate(&settings.database_url)?;
    let mut conn = crate::db::establish(&settings.database_url)
        .map_err(|e| StartupError::Database(format!("cannot connect: {e}")))?;
    let all = crate::db::institutions::all(&mut conn)
        .map_err(|e| StartupError::Database(e.to_string()))?;
    let known = || {
        all.iter()
            .filter(|i| i.active)
            .map(|i| format!("{} ({})", i.code, i.kind))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let inst = all.iter().find(|i| i.code == code).ok_or_else(|| {
        StartupError::Config(format!(
            "unknown institution {code}; active ones: {}",
            known()
        ))
    })?;
    if !inst.active {
        return Err(StartupError::Config(format!(
            "institution {code} is deactivated; active ones: {}",
            known()
        )));
    }
    let kind = InstitutionKind::parse(&inst.kind)
        .ok_or_else(|| StartupError::Database(format!("institution {code} has no known kind")))?;
    if role.kind() != kind {
        return Err(StartupError::Config(format!(
            "role {} is not one of {code}'s kind ({}); its roles: {}",
            role.as_str(),
            kind.as_str(),
            roles_of(Some(kind))
        )));
    }
    Ok(())
}

fn export_schema(
    settings: Settings,
    output: Option<String>,
    role: Option<String>,
) -> Result<(), StartupError> {
    // Refuse an unknown role before touching the database.
    let role = role.map(|r| parse_role(&r)).transpose()?;
    let counter = crate::db::StatementCounter::default();
    let pool = crate::db::build_pool(&settings.database_url, 1, settings.pool_timeout, &counter)?;
    let schema = crate::graphql::build_schema(pool, settings, Default::default());
    let sdl = match role {
        // The full contract stays async-graphql's own export, byte for byte.
        None => crate::graphql::sdl(&schema),
        Some(role) => actix_web::rt::System::new()
            .block_on(crate::graphql::sdl::export(&schema, Some(role)))
            .map_err(|e| StartupError::Other(format!("cannot export the schema: {e:?}")))?,
    };
    match output {
        Some(path) => std::fs::write(&path, sdl)
            .map_err(|e| StartupError::Other(format!("cannot write {path}: {e}"))),
        None => {
            print!("{sdl}");
            Ok(())
        }
    }
}
