//! The browser tests, one binary: the real site is built once for all of
//! them (`sbiz_e2e::site::built`), and one link step serves every module.
//!
//! - `a11y`: axe-core on one page of every template, at two widths;
//! - `english`: the English edition's booking calendar, in English;
//! - `freetimes`: an equipment's free times with JavaScript off (the plain
//!   date form and the booking function's page), and the calendar with it on;
//! - `html`: the Nu Html Checker over every page;
//! - `keyboard`: the skip link, menus, filters, search, 예약 조회 and 내 예약·신청 with the keyboard;
//! - `lighthouse`: Lighthouse scores and layout shift, one page per template;
//! - `search`: Korean search and its filters;
//! - `weight`: what each page costs to download;
//! - `portal`: the whole booking journey on a local portal, and 내 예약·신청
//!   with its 인증번호 sent through ministack's SNS;
//! - `staffbook`: 예약 변경 from the management link and the admin page, and
//!   전화·방문 접수 on the admin page;
//! - `upcoming`: the notice above a form not yet open, hidden from the
//!   opening day by the visitor's clock.

mod a11y;
mod english;
mod freetimes;
mod html;
mod keyboard;
mod lighthouse;
mod portal;
mod search;
mod staffbook;
mod upcoming;
mod weight;
