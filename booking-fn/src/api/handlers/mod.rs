//! Route handlers, one module per resource (as `service/`): each reads the
//! request, parses it into a typed command (`requests`), calls the service
//! and returns an [`Answer`](super::answer::Answer) in a
//! [`Reply`](super::reply::Reply); [`Ctx::reply`](super::reply::Ctx::reply)
//! turns that into the response.
//!
//! The staff side is split by what it does: [`staff_auth`] (who is staff,
//! sign-in and sign-out), [`admin`] (the lists as JSON and CSV, status
//! changes), [`admin_page`] (the admin page) with `admin_filters` (a query
//! into the store's filters) and `admin_actions` (the status changes a
//! record offers), [`after_action`] (back to the admin page with a
//! notice of what was done), and `staff_scope` (a scope's name, facilities
//! and equipment, as the staff pages show them).

pub(crate) mod admin;
mod admin_actions;
mod admin_filters;
pub(crate) mod admin_page;
pub(crate) mod after_action;
pub(crate) mod applications;
pub(crate) mod availability;
pub(crate) mod closures;
pub(crate) mod health;
pub(crate) mod jobs;
pub(crate) mod marks;
pub(crate) mod messages;
pub(crate) mod my;
pub(crate) mod reports;
pub(crate) mod reservations;
pub(crate) mod search;
pub(crate) mod staff_auth;
pub(crate) mod staff_bookings;
mod staff_scope;
pub(crate) mod surveys;

use axum::body::Body;
use axum::http::HeaderMap;

use super::input::{self, Input};
use super::reply::Ctx;
use super::state::AppState;
use crate::Result;

impl AppState {
    /// Reads a body (strict types, size limit) and checks where it came from.
    pub(crate) async fn input(&self, headers: &HeaderMap, body: Body) -> Result<Input> {
        let limit = input::body_limit(&self.catalog());
        let input = input::read(headers, body, limit).await?;
        input::check_origin(headers, input.kind, |o| self.origin_allowed(o))?;
        Ok(input)
    }

    /// [`Self::input`] for what people post from the site's pages: the
    /// answer's language is read from the body first (`lang=en`,
    /// [`Ctx::read_lang`]), so that a post refused for where it came from
    /// (an English form whose `Origin` a privacy tool stripped) is refused
    /// in the form's language. The check itself is the same.
    pub(crate) async fn input_in(
        &self,
        ctx: &mut Ctx,
        headers: &HeaderMap,
        body: Body,
    ) -> Result<Input> {
        let limit = input::body_limit(&self.catalog());
        let input = input::read(headers, body, limit).await?;
        ctx.read_lang(input.sent());
        input::check_origin(headers, input.kind, |o| self.origin_allowed(o))?;
        Ok(input)
    }
}
