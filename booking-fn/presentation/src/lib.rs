//! Presentation data shared by the generator and the booking function.
//!
//! * [`forms`]: every form of the portal as data (fields, labels, hints,
//!   values, errors). The generator renders these views on the static pages
//!   and the function renders the same views when it shows a form again, both
//!   through the theme's `forms/form.html`.
//! * [`kit`]: the format of `forms.json`, the theme the generator hands to
//!   the function.
//! * [`i18n`]: the theme's translation table (every text of the templates
//!   per language), read by the generator and carried to the function.
//! * [`links`]: the links of an English page pointed at the English pages,
//!   for the generator's English pages and the function's English answers.
//! * [`search`]: Korean search over the site's index, for the search form
//!   and the function's results page (search without JavaScript).
//! * [`chart`]: bar charts as accessible SVG, drawn on the server (the
//!   staff usage report).
//! * [`escape_html`] and [`error_chain`]: the one copy of each.
//!
//! Nothing here touches a store or HTTP: the generator renders pages with
//! this crate and `sbiz-catalog` alone.

pub mod chart;
pub mod forms;
pub mod i18n;
pub mod kit;
pub mod links;
pub mod search;
mod text;

pub use text::{compact_whitespace, error_chain, escape_html, finish_page, keep_dates_whole};
