//! The notice above a form not yet open ("신청은 …부터 …까지 받습니다"):
//! the pages are built before the opening day, and site.js hides the notice
//! from that day by the visitor's clock (Korea time), so that a page not
//! rebuilt on the day does not keep saying it; until then it stays, and the
//! form (a job posting's too) stays below it.

use sbiz_e2e::browser::Browser;
use sbiz_e2e::server::Server;
use sbiz_e2e::site;
use serde_json::{Value, json};

/// A job posting that opens on 2026-11-26 and a support scheme that opens
/// on 2026-12-07 (content/), both with a form on the portal.
const JOB: &str = "/jobs/gasan-cad-drafter/";
const SCHEME: &str = "/policies/sample-making-voucher/";

/// What the visitor sees of the page's application section: whether the
/// notice and the form are shown (null when the page has none), the status
/// label, and the day in Korea by the page's clock.
const SEEN: &str = r##"
  var shown = function (e) { return e ? e.getClientRects().length > 0 : null; };
  return {
    notice: shown(document.querySelector(".notice-upcoming[data-opens]")),
    form: shown(document.querySelector("#apply form")),
    status: document.querySelector(".lead .status").textContent,
    today: new Date(Date.now() + 9 * 36e5).toISOString().slice(0, 10)
  };"##;

async fn seen(b: &Browser, server: &Server, url: &str) -> Value {
    b.goto(&server.url(url)).await;
    b.js(SEEN, vec![]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_upcoming_notice_goes_on_the_opening_day_by_the_visitors_clock() {
    let out = sbiz_e2e::scratch_dir().join("public-upcoming");
    site::build_at(&out, "2026-11-25");
    for (url, opens) in [(JOB, "2026-11-26"), (SCHEME, "2026-12-07")] {
        let file = out.join(url.trim_start_matches('/')).join("index.html");
        let html = std::fs::read_to_string(file).expect("the page is built");
        assert!(
            html.contains(&format!(
                "<div class=\"notice-upcoming\" role=\"note\" data-opens=\"{opens}\">"
            )),
            "{url} is built with its notice"
        );
    }
    let server = Server::start(&out);
    let b = Browser::start().await;

    // The evening before the job's day (Korea time): both notices stay,
    // and the forms stay below them to get ready with.
    b.set_clock("2026-11-25T23:30:00+09:00").await;
    assert_eq!(
        seen(&b, &server, JOB).await,
        json!({ "notice": true, "form": true, "status": "예정", "today": "2026-11-25" })
    );
    assert_eq!(
        seen(&b, &server, SCHEME).await,
        json!({ "notice": true, "form": true, "status": "예정", "today": "2026-11-25" })
    );

    // Half past midnight on the job's day (still the 25th in UTC): its
    // notice goes and the form is open; the scheme's day has not come.
    b.set_clock("2026-11-26T00:30:00+09:00").await;
    assert_eq!(
        seen(&b, &server, JOB).await,
        json!({ "notice": false, "form": true, "status": "모집 중", "today": "2026-11-26" })
    );
    assert_eq!(
        seen(&b, &server, SCHEME).await,
        json!({ "notice": true, "form": true, "status": "예정", "today": "2026-11-26" })
    );

    // The scheme's opening day: its notice goes too.
    b.set_clock("2026-12-07T09:00:00+09:00").await;
    assert_eq!(
        seen(&b, &server, SCHEME).await,
        json!({ "notice": false, "form": true, "status": "접수 중", "today": "2026-12-07" })
    );
    b.close().await;
}
