//! The one list of routes: the router is built from it and the OpenAPI
//! test checks every entry against `openapi.yaml`.

use axum::http::Method;
use axum::routing::{MethodRouter, get, post};

use super::AppState;
use super::handlers::{admin, public};

pub fn table() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (Method::GET, "/api/health", get(public::health)),
        (
            Method::GET,
            "/api/equipment/{id}/availability",
            get(public::availability),
        ),
        (
            Method::POST,
            "/api/reservations",
            post(public::create_reservation),
        ),
        (
            Method::POST,
            "/api/reservations/lookup",
            post(public::lookup_reservation),
        ),
        (
            Method::GET,
            "/api/reservations/{code}",
            get(public::show_reservation),
        ),
        (
            Method::GET,
            "/api/reservations/{code}/ics",
            get(public::reservation_ics),
        ),
        (
            Method::POST,
            "/api/reservations/{code}/cancel",
            post(public::cancel_reservation),
        ),
        (
            Method::POST,
            "/api/programmes/{id}/applications",
            post(public::apply_programme),
        ),
        (
            Method::POST,
            "/api/policies/{id}/applications",
            post(public::apply_policy),
        ),
        (
            Method::GET,
            "/api/applications/{code}",
            get(public::show_application),
        ),
        (
            Method::POST,
            "/api/applications/{code}/cancel",
            post(public::cancel_application),
        ),
        (Method::GET, "/api/surveys/{id}", get(public::show_survey)),
        (
            Method::POST,
            "/api/surveys/{id}/responses",
            post(public::submit_survey),
        ),
        (Method::GET, "/api/admin/session", get(admin::session)),
        (Method::POST, "/api/admin/login", post(admin::login)),
        (Method::POST, "/api/admin/logout", post(admin::logout)),
        (Method::GET, "/api/admin/dashboard", get(admin::dashboard)),
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
            Method::GET,
            "/api/admin/surveys/{id}/summary",
            get(admin::survey_summary),
        ),
    ]
}

/// Every route as (method, path template).
pub fn list() -> Vec<(Method, &'static str)> {
    table().into_iter().map(|(m, p, _)| (m, p)).collect()
}
