//! The generator's integration tests, one binary (as mdBook's
//! `tests/testsuite/`): one link step for all of them, and the helpers in
//! `support` written once.
//!
//! - `cli`: the CLI as an editor sees it (error snapshots, builds, scaffolds);
//! - `english`: the English edition under `/en/` and its links to the Korean;
//! - `english_served`: the English edition as `sbiz serve` answers it (the
//!   function's English pages, the English 404);
//! - `site`: the real content and the fixture site, built and checked whole;
//! - `serve`: `sbiz serve` rebuilding, reporting errors, cutting off stalls;
//! - `incremental`: rebuilds after each kind of change equal a clean build;
//! - `links`: links to records that are not published (text and a warning),
//!   and the pages suggested for a link to a missing one;
//! - `serveload`: `sbiz serve`'s content kept between rebuilds, after each
//!   kind of edit, equals a clean build and a full check's errors;
//! - `docs`: the README's and guides' examples, links, event tables,
//!   variables and proxy limits against what ships;
//! - `glossary`: no retired word (docs/glossary.md) anywhere citizens read;
//! - `policy_forms`: a policy form's consent items and how to send documents;
//! - `production`: `sbiz serve --production`, its headers and the CSP;
//! - `wayfinding`: job postings on the job seekers' pages, the ways on from
//!   a district's page, the notice before applications open, small texts.

mod cli;
mod docs;
mod english;
mod english_served;
mod glossary;
mod incremental;
mod links;
mod policy_forms;
mod production;
mod serve;
mod serveload;
mod site;
mod support;
mod wayfinding;
