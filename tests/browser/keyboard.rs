//! Keyboard-only use: the skip link, the main menu (also the narrow-screen
//! toggle), list filters, search and the language switch, with Tab and Enter
//! sent through WebDriver.

use fantoccini::key::Key;
use sbiz_e2e::browser::Browser;
use sbiz_e2e::server::Server;
use sbiz_e2e::site;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn skip_link_then_main_menu_on_a_wide_screen() {
    let site = site::built();
    let server = Server::start(&site.out);
    let b = Browser::start().await;
    b.goto(&server.url("/about/")).await;
    b.tab().await;
    let f = b.focused().await;
    assert_eq!(
        (f.tag.as_str(), f.text.as_str()),
        ("a", "본문 바로가기"),
        "the skip link comes first"
    );
    b.enter().await;
    let f = b.focused().await;
    assert_eq!(
        f.id, "content",
        "the skip link moves the focus to the main content"
    );

    b.goto(&server.url("/about/")).await;
    let f = b
        .tab_until(20, "the main menu", |f| {
            f.within.contains("#menu") && f.tag == "a"
        })
        .await;
    assert_eq!(f.text, "지원시설", "the first menu item");
    b.enter().await;
    b.wait_for(
        "the facilities list",
        "return location.pathname === '/facilities/';",
    )
    .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn narrow_screen_menu_opens_with_the_keyboard() {
    let site = site::built();
    let server = Server::start(&site.out);
    let b = Browser::start_sized(375, 800).await;
    b.goto(&server.url("/")).await;
    let open = "return document.getElementById('menu').open;";
    assert_eq!(
        b.js(open, vec![]).await,
        false,
        "the menu starts closed on a phone"
    );
    let f = b
        .tab_until(20, "the menu button", |f| f.tag == "summary")
        .await;
    assert!(f.text.contains("메뉴"), "the menu button says 메뉴: {f:?}");
    b.enter().await;
    assert_eq!(b.js(open, vec![]).await, true, "Enter opens the menu");
    b.tab().await;
    let f = b.focused().await;
    assert_eq!(
        (f.tag.as_str(), f.text.as_str()),
        ("a", "지원시설"),
        "Tab goes into the menu"
    );
    b.press(Key::Escape).await;
    assert_eq!(b.js(open, vec![]).await, false, "Escape closes the menu");
    assert_eq!(
        b.focused().await.tag,
        "summary",
        "and gives the focus back to its button"
    );
    b.enter().await;
    b.tab().await;
    b.tab().await;
    let f = b.focused().await;
    assert_eq!(f.text, "공용장비");
    b.enter().await;
    b.wait_for(
        "the equipment list",
        "return location.pathname === '/equipment/';",
    )
    .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_filters_work_with_the_keyboard() {
    let site = site::built();
    let server = Server::start(&site.out);
    let b = Browser::start().await;
    b.goto(&server.url("/programmes/")).await;
    b.js("window.__sameDocument = true;", vec![]).await;
    // The status group is open: its first option is reachable directly.
    let f = b
        .tab_until(40, "a status filter", |f| {
            f.href == "/programmes/status/open/"
        })
        .await;
    assert!(f.text.contains("모집 중"));
    b.enter().await;
    b.wait_for("the filtered list", "return location.pathname === '/programmes/status/open/' && document.getElementById('list-title').textContent.indexOf('모집 중') >= 0;").await;
    assert_eq!(
        b.js("return window.__sameDocument === true;", vec![]).await,
        true,
        "filtered in place with JavaScript"
    );
    let f = b.focused().await;
    assert_eq!(
        f.href, "/programmes/status/open/",
        "the focus stays on the chosen filter"
    );
    assert_eq!(
        b.js(
            "return document.activeElement.getAttribute('aria-current');",
            vec![]
        )
        .await,
        "page",
        "the chosen filter is marked current"
    );
    let count = b.js("return document.querySelectorAll('#results .card .status').length === document.querySelectorAll('#results .card').length;", vec![]).await;
    assert_eq!(count, true);

    // A closed group: open it with Enter, then choose its first option.
    let f = b
        .tab_until(40, "the 업종 group", |f| {
            f.tag == "summary" && f.text == "업종"
        })
        .await;
    assert_eq!(f.text, "업종");
    b.enter().await;
    b.tab().await;
    let f = b.focused().await;
    assert!(
        f.href.starts_with("/programmes/industries/"),
        "Tab reaches the first industry: {f:?}"
    );
    b.enter().await;
    let href = f.href.clone();
    b.wait_for(
        "the industry list",
        &format!("return location.pathname === '{href}';"),
    )
    .await;
    // Back goes to the previous filter, still in place.
    b.client.back().await.expect("history back");
    b.wait_for(
        "back to the status filter",
        "return document.getElementById('list-title').textContent.indexOf('모집 중') >= 0;",
    )
    .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_works_with_the_keyboard() {
    let site = site::built();
    let server = Server::with_api(&site.out);
    let b = Browser::start().await;
    b.goto(&server.url("/notices/")).await;
    b.tab_until(20, "the header search box", |f| f.id == "header-q")
        .await;
    b.type_text("재단기").await;
    b.enter().await;
    b.wait_for("search results", "return location.pathname === '/api/search' && document.querySelector('#search-results .card');").await;
    assert_eq!(b.path().await, "/api/search?q=재단기");
    let f = b
        .tab_until(40, "the first result", |f| {
            f.within.contains("#search-results") && f.tag == "a"
        })
        .await;
    assert!(!f.href.is_empty());
    b.enter().await;
    b.wait_for(
        "the result's page",
        &format!("return location.pathname === '{}';", f.href),
    )
    .await;
    b.close().await;
}

/// 내 예약·신청 and 예약 조회 are in the header: from the home page a
/// keyboard user reaches both, and 내 예약·신청's form, with JavaScript on
/// and off (the whole of 내 예약·신청: `portal::my_reservations_…`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reservation_lookup_is_reached_from_the_home_page_by_keyboard() {
    let site = site::built();
    let server = Server::with_api(&site.out);
    for b in [
        Browser::start().await,
        Browser::start_without_javascript().await,
    ] {
        b.goto(&server.url("/")).await;
        let f = b
            .tab_until(8, "the 예약 조회 link", |f| f.text == "예약 조회")
            .await;
        assert_eq!(f.href, "/reservation/");
        b.enter().await;
        b.wait_for(
            "the 예약 조회 page",
            "return location.pathname === '/reservation/' && document.querySelector('h1').textContent.indexOf('예약 조회') >= 0;",
        )
        .await;

        b.goto(&server.url("/")).await;
        let f = b
            .tab_until(8, "the 내 예약·신청 link", |f| {
                f.text == "내 예약·신청"
            })
            .await;
        assert_eq!(f.href, "/my/");
        b.enter().await;
        b.wait_for(
            "the 내 예약·신청 page",
            "return location.pathname === '/my/' && document.querySelector('h1').textContent.indexOf('내 예약·신청') >= 0;",
        )
        .await;
        let f = b
            .tab_until(40, "the phone field", |f| f.id == "my-phone-phone")
            .await;
        assert_eq!(f.tag, "input");
        b.tab().await;
        let f = b.focused().await;
        assert_eq!(
            (f.tag.as_str(), f.text.as_str()),
            ("button", "인증번호 받기")
        );
        b.close().await;
    }
}

/// Directions without JavaScript: a facility page's 카카오맵 and 네이버 지도
/// links are plain links with the facility's coordinates, reached by Tab.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn facility_directions_work_without_javascript() {
    let site = site::built();
    let server = Server::start(&site.out);
    let b = Browser::start_without_javascript().await;
    let page = site.first_detail("facilities").expect("a facility page");
    b.goto(&server.url(&page)).await;
    let kakao = b
        .tab_until(60, "the 카카오맵 link", |f| {
            f.text.starts_with("카카오맵에서 길찾기")
        })
        .await;
    assert!(
        kakao.href.starts_with("https://map.kakao.com/link/to/"),
        "{}",
        kakao.href
    );
    let coords: Vec<f64> = kakao
        .href
        .rsplit(',')
        .take(2)
        .map(|v| v.parse().expect("a coordinate"))
        .collect();
    assert!(
        (126.76..=127.19).contains(&coords[0]) && (37.41..=37.72).contains(&coords[1]),
        "the point is in Seoul: {coords:?}"
    );
    b.tab().await;
    let naver = b.focused().await;
    assert!(naver.text.starts_with("네이버 지도에서 보기"));
    assert!(naver.href.starts_with("https://map.naver.com/p/search/"));
    b.close().await;
}

/// The English edition is reached from the Korean home page by its header
/// switch, and leads back: with the keyboard, with JavaScript on and off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_english_edition_is_reached_from_the_home_page_by_keyboard() {
    let site = site::built();
    let server = Server::with_api(&site.out);
    for b in [
        Browser::start().await,
        Browser::start_without_javascript().await,
    ] {
        b.goto(&server.url("/")).await;
        let f = b
            .tab_until(12, "the English switch", |f| f.text == "English")
            .await;
        assert_eq!(f.href, "/en/");
        b.enter().await;
        b.wait_for(
            "the English home",
            "return location.pathname === '/en/' && document.documentElement.lang === 'en' && document.querySelector('.site-name').textContent === 'Seoul Small Manufacturers Support Portal';",
        )
        .await;
        let f = b
            .tab_until(12, "the Korean switch", |f| f.text == "한국어")
            .await;
        assert_eq!(f.href, "/");
        b.enter().await;
        b.wait_for(
            "the Korean home",
            "return location.pathname === '/' && document.documentElement.lang === 'ko';",
        )
        .await;
        b.close().await;
    }
}
