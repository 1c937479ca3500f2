//! A site's theme for the function's pages, as `sbiz build` writes it
//! beside the catalog (`forms.json`): the default theme's form templates
//! and texts in the built-in layout, with the site's own globals (its name
//! and the operator's 대표전화, which the built-in pages do not know).

use std::collections::BTreeMap;

use sbiz_booking::AppState;
use sbiz_presentation::i18n::Translations;
use sbiz_presentation::kit::{THEME_KIT_FILE, ThemeKit};

/// The default theme's files the function's pages use.
const TEMPLATES: [(&str, &str); 7] = [
    (
        "base.html",
        include_str!("../../../src/api/fallback-base.html"),
    ),
    (
        "forms/answer.html",
        include_str!("../../../../themes/default/templates/forms/answer.html"),
    ),
    (
        "forms/form.html",
        include_str!("../../../../themes/default/templates/forms/form.html"),
    ),
    (
        "forms/search.html",
        include_str!("../../../../themes/default/templates/forms/search.html"),
    ),
    (
        "forms/times-form.html",
        include_str!("../../../../themes/default/templates/forms/times-form.html"),
    ),
    (
        "forms/report.html",
        include_str!("../../../../themes/default/templates/forms/report.html"),
    ),
    (
        "forms/macros.html",
        include_str!("../../../../themes/default/templates/forms/macros.html"),
    ),
];

/// The site's 대표전화 in [`load`]'s globals.
pub const SITE_PHONE: &str = "02-2133-8770";

/// Loads a `forms.json` of the default theme into `state`, with the
/// sample site's name and 대표전화 (`site.operator.phone`) in its globals.
pub fn load(state: &AppState) {
    load_with_base(state, TEMPLATES[0].1);
}

/// [`load`], with the breadcrumb of the default theme's layout
/// (`themes/default/templates/base.html`, its `page.breadcrumbs` as the
/// site's pages have it) in the built-in layout.
pub fn load_with_breadcrumb(state: &AppState) {
    let site = include_str!("../../../../themes/default/templates/base.html");
    let start = site
        .find("{% if page.breadcrumbs %}")
        .expect("a breadcrumb");
    let nav = start + site[start..].find("</nav>").expect("its end");
    let len = nav - start + site[nav..].find("{% endif %}").expect("its end") + "{% endif %}".len();
    let crumb = site[start..start + len].replace("{{ t.breadcrumb }}", "현재 위치");
    let base = TEMPLATES[0].1.replacen(
        "<main id=\"content\">",
        &format!("{crumb}\n<main id=\"content\">"),
        1,
    );
    assert!(base.contains("page.breadcrumbs"), "{base}");
    load_with_base(state, &base);
}

fn load_with_base(state: &AppState, base: &str) {
    let globals = serde_json::json!({
        "site": {
            "name": "서울 소공인 지원 포털",
            "base_url": crate::common::ORIGIN,
            "operator": { "name": "서울특별시 (예시 운영기관)", "phone": SITE_PHONE },
        },
        "assets": { "css/forms.css": "", "js/forms.js": "", "js/search.js": "" },
    });
    let serde_json::Value::Object(globals) = globals else {
        unreachable!("an object")
    };
    let translations = Translations::from_sources([
        (
            "forms.ko.yaml",
            "forms.ko.yaml",
            include_str!("../../../../themes/default/i18n/forms.ko.yaml"),
        ),
        (
            "forms.en.yaml",
            "forms.en.yaml",
            include_str!("../../../../themes/default/i18n/forms.en.yaml"),
        ),
    ])
    .expect("the default theme's texts");
    let mut templates: BTreeMap<String, String> = TEMPLATES
        .iter()
        .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
        .collect();
    templates.insert("base.html".to_owned(), base.to_owned());
    let kit = ThemeKit::new(templates, globals, translations);
    let dir = std::env::temp_dir().join(format!(
        "sbiz-theme-{}-{}",
        std::process::id(),
        sbiz_booking::domain::ReservationCode::generate()
    ));
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join(THEME_KIT_FILE),
        serde_json::to_vec(&kit).expect("the kit serialises"),
    )
    .expect("write forms.json");
    let loaded = sbiz_booking::ops::reload_forms_theme(state, &dir.join("catalog.json"));
    std::fs::remove_dir_all(&dir).expect("clean up");
    loaded.expect("the theme loads");
}
