//! `GET /api/search?q=…&kind=…&industry=…&district=…`: the site's search
//! answered by the function, so that searching works without JavaScript.
//! The index is the one `sbiz build` writes for the search page's script
//! (`search/index.json`, loaded beside `catalog.json`); the page is the
//! theme's `forms/search.html` with the query kept in the box.

use axum::extract::State;
use axum::response::Response;
use sbiz_presentation::search;

use crate::api::answer::{Answer, SearchAnswer};
use crate::api::reply::{Ctx, Reply};
use crate::api::requests::Query;
use crate::api::state::AppState;

/// The longest query kept, in characters; the rest is ignored.
const MAX_QUERY_CHARS: usize = 100;

fn param(q: &Query, name: &str) -> String {
    q.get(name)
        .map(|v| v.trim().chars().take(MAX_QUERY_CHARS).collect())
        .unwrap_or_default()
}

pub(crate) async fn search(State(app): State<AppState>, ctx: Ctx, q: Query) -> Response {
    // Each edition searches its own pages: `lang=en` (the English search
    // form's hidden field) searches the English index.
    let index = app.search(ctx.lang).unwrap_or_default();
    let query = search::Query {
        q: param(&q, "q"),
        kind: param(&q, "kind"),
        industry: param(&q, "industry"),
        district: param(&q, "district"),
    };
    let view = search::search(&index, &query, app.service().now().date, ctx.lang);
    let lang = ctx.lang;
    ctx.reply(Ok(Reply::ok(Answer::Search(Box::new(SearchAnswer {
        search: view,
        lang,
    })))))
}
