//! The one list of routes: the router is built from it and the OpenAPI
//! test checks every entry against `openapi.yaml`.

use axum::http::Method;
use axum::routing::{MethodRouter, get, post};

use super::handlers::{
    admin, admin_page, applications, availability, closures, health, jobs, marks, messages, my,
    reports, reservations, search, staff_auth, staff_bookings, surveys,
};
use super::state::AppState;

pub fn table() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (Method::GET, "/api/health", get(health::health)),
        (Method::GET, "/api/search", get(search::search)),
        (
            Method::GET,
            "/api/equipment/{id}/availability",
            get(availability::availability),
        ),
        (
            Method::POST,
            "/api/reservations",
            post(reservations::create),
        ),
        (
            Method::POST,
            "/api/reservations/lookup",
            post(reservations::lookup),
        ),
        (
            Method::GET,
            "/api/reservations/{code}",
            get(reservations::show),
        ),
        (
            Method::GET,
            "/api/reservations/{code}/ics",
            get(reservations::ics),
        ),
        (
            Method::POST,
            "/api/reservations/{code}/cancel",
            post(reservations::cancel),
        ),
        (
            Method::POST,
            "/api/reservations/{code}/reschedule",
            post(reservations::reschedule),
        ),
        (
            Method::POST,
            "/api/programmes/{id}/applications",
            post(applications::apply_programme),
        ),
        (
            Method::POST,
            "/api/policies/{id}/applications",
            post(applications::apply_policy),
        ),
        (
            Method::POST,
            "/api/jobs/{id}/applications",
            post(applications::apply_job),
        ),
        (Method::GET, "/api/jobs/{id}/status", get(jobs::status)),
        (
            Method::GET,
            "/api/applications/{code}",
            get(applications::show),
        ),
        (
            Method::POST,
            "/api/applications/{code}/cancel",
            post(applications::cancel),
        ),
        (Method::GET, "/api/surveys/{id}", get(surveys::show)),
        (
            Method::POST,
            "/api/surveys/{id}/responses",
            post(surveys::submit),
        ),
        (Method::GET, "/api/my", get(my::home)),
        (Method::POST, "/api/my/code", post(my::request_code)),
        (Method::GET, "/api/my/code", get(my::code_form)),
        (Method::POST, "/api/my/verify", post(my::verify)),
        (Method::POST, "/api/my/logout", post(my::logout)),
        (
            Method::GET,
            "/api/my/reservations/{code}",
            get(my::reservation),
        ),
        (
            Method::POST,
            "/api/my/reservations/{code}/cancel",
            post(my::cancel_reservation),
        ),
        (
            Method::GET,
            "/api/my/reservations/{code}/survey",
            get(my::reservation_survey),
        ),
        (
            Method::POST,
            "/api/my/reservations/{code}/survey",
            post(my::submit_reservation_survey),
        ),
        (
            Method::GET,
            "/api/my/applications/{code}",
            get(my::application),
        ),
        (
            Method::POST,
            "/api/my/applications/{code}/cancel",
            post(my::cancel_application),
        ),
        (
            Method::GET,
            "/api/my/applications/{code}/survey",
            get(my::application_survey),
        ),
        (
            Method::POST,
            "/api/my/applications/{code}/survey",
            post(my::submit_application_survey),
        ),
        (Method::GET, "/api/admin/session", get(staff_auth::session)),
        (Method::POST, "/api/admin/login", post(staff_auth::login)),
        (Method::POST, "/api/admin/logout", post(staff_auth::logout)),
        (
            Method::GET,
            "/api/admin/dashboard",
            get(admin_page::dashboard),
        ),
        (Method::POST, "/api/admin/search", post(admin_page::search)),
        (
            Method::GET,
            "/api/admin/reservations",
            get(admin::reservations),
        ),
        (
            Method::GET,
            "/api/admin/reservations.csv",
            get(admin::reservations_csv),
        ),
        (
            Method::POST,
            "/api/admin/reservations/{code}/status",
            post(admin::reservation_status),
        ),
        (
            Method::POST,
            "/api/admin/reservations/marks",
            post(marks::reservations),
        ),
        (
            Method::POST,
            "/api/admin/reservations",
            post(staff_bookings::create),
        ),
        (
            Method::GET,
            "/api/admin/bookings/new",
            get(staff_bookings::new_form),
        ),
        (
            Method::POST,
            "/api/admin/trainings",
            post(staff_bookings::record_training),
        ),
        (
            Method::GET,
            "/api/admin/trainings/new",
            get(staff_bookings::training_page),
        ),
        (
            Method::POST,
            "/api/admin/reservations/{code}/reschedule",
            post(admin::reservation_reschedule),
        ),
        (
            Method::GET,
            "/api/admin/reservations/{code}/messages",
            get(messages::reservation_messages),
        ),
        (
            Method::POST,
            "/api/admin/reservations/{code}/messages/{id}/resend",
            post(messages::reservation_resend),
        ),
        (
            Method::GET,
            "/api/admin/applications",
            get(admin::applications),
        ),
        (
            Method::GET,
            "/api/admin/applications.csv",
            get(admin::applications_csv),
        ),
        (
            Method::POST,
            "/api/admin/applications/{code}/status",
            post(admin::application_status),
        ),
        (
            Method::POST,
            "/api/admin/applications/marks",
            post(marks::applications),
        ),
        (
            Method::GET,
            "/api/admin/applications/{code}/messages",
            get(messages::application_messages),
        ),
        (
            Method::POST,
            "/api/admin/applications/{code}/messages/{id}/resend",
            post(messages::application_resend),
        ),
        (
            Method::POST,
            "/api/admin/jobs/{id}/filled",
            post(admin::job_filled),
        ),
        (Method::GET, "/api/admin/closures", get(closures::list)),
        (Method::POST, "/api/admin/closures", post(closures::create)),
        (
            Method::POST,
            "/api/admin/closures/{id}/remove",
            post(closures::remove),
        ),
        (
            Method::POST,
            "/api/admin/closures/{id}/cancel-bookings",
            post(closures::cancel_bookings),
        ),
        (Method::GET, "/api/admin/audit", get(closures::audit)),
        (
            Method::GET,
            "/api/admin/audit.csv",
            get(closures::audit_csv),
        ),
        (
            Method::GET,
            "/api/admin/surveys/{id}/summary",
            get(admin::survey_summary),
        ),
        (Method::GET, "/api/admin/reports", get(reports::reports)),
        (
            Method::GET,
            "/api/admin/reports.csv",
            get(reports::reports_csv),
        ),
    ]
}

/// Every route as (method, path template).
pub fn list() -> Vec<(Method, &'static str)> {
    table().into_iter().map(|(m, p, _)| (m, p)).collect()
}
