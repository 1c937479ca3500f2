//! Site settings (`content/site.yaml`).

use sbiz_catalog::{BookingSettings, Consent, JobConsent, NoShowRule, Phone, Reminder, TimeOfDay};
use serde::Serialize;

use super::{en_paired, en_same_length, en_text};
use crate::t;
use crate::yaml::Fields;
use crate::yaml::read::{Email, Url};

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Operator {
    pub(crate) name: String,
    pub(crate) department: Option<String>,
    pub(crate) address: String,
    pub(crate) phone: Phone,
    pub(crate) email: Option<Email>,
    pub(crate) privacy_officer: Option<String>,
}

/// A link in the site's chrome: the main menu, the header's utility links,
/// the footer's open-data files and feeds.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NavItem {
    pub(crate) title: String,
    pub(crate) url: String,
}

/// A headline figure on the home page ("74,594곳 / 서울의 도시형 소공인").
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Figure {
    pub(crate) value: String,
    pub(crate) label: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteConfig {
    pub(crate) name: String,
    pub(crate) short_name: String,
    pub(crate) description: String,
    /// Origin without a trailing slash, e.g. `https://sbiz.example.kr`.
    pub(crate) base_url: String,
    pub(crate) language: String,
    pub(crate) official: bool,
    pub(crate) sample_content: bool,
    pub(crate) per_page: u16,
    pub(crate) operator: Operator,
    pub(crate) nav: Vec<NavItem>,
    /// The header's utility links (예약 방법, 접근성 정책, 사이트맵).
    pub(crate) utility: Vec<NavItem>,
    /// The footer's open-data files (CSV·JSON).
    pub(crate) open_data: Vec<NavItem>,
    /// The footer's feeds (Atom).
    pub(crate) feeds: Vec<NavItem>,
    pub(crate) figures: Vec<Figure>,
    #[serde(skip)]
    pub(crate) booking: BookingSettings,
    #[serde(skip)]
    pub(crate) consent: Consent,
    /// When the reminder before use is sent (`reminder:`); none without it.
    #[serde(skip)]
    pub(crate) reminder: Option<Reminder>,
    /// The channels this deployment sends messages by (`messaging:`);
    /// none without it.
    #[serde(skip)]
    pub(crate) messaging: Vec<sbiz_catalog::Channel>,
    /// The consent text of job application forms (`job_consent:`).
    #[serde(skip)]
    pub(crate) job_consent: Option<JobConsent>,
    /// The page every form links to for how booking and applying work
    /// (`form_help:`, e.g. "/how-to-book/").
    #[serde(skip)]
    pub(crate) form_help: Option<String>,
    /// The English edition's texts, when the site has one.
    #[serde(skip)]
    pub(crate) en: Option<SiteEn>,
}

/// The English of the site's texts (`en:` in site.yaml): every text the
/// chrome shows, each list with one item per Korean item in the same order.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteEn {
    pub(crate) name: String,
    pub(crate) short_name: String,
    pub(crate) description: String,
    pub(crate) operator: OperatorEn,
    /// Titles of `nav`, `utility`, `open_data`, `feeds`, in their order.
    pub(crate) nav: Vec<String>,
    pub(crate) utility: Vec<String>,
    pub(crate) open_data: Vec<String>,
    pub(crate) feeds: Vec<String>,
    pub(crate) figures: Vec<Figure>,
    pub(crate) consent: ConsentEn,
    pub(crate) job_consent: Option<JobConsent>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct OperatorEn {
    pub(crate) name: String,
    pub(crate) department: Option<String>,
    pub(crate) address: String,
    pub(crate) privacy_officer: Option<String>,
}

/// The English of the consent text (the version is the Korean's).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ConsentEn {
    pub(crate) purpose: String,
    pub(crate) items: String,
    pub(crate) retention: String,
    pub(crate) refusal: String,
}

impl SiteConfig {
    /// The configuration as the English edition shows it: the same
    /// settings with the English texts; `None` without `en:`.
    pub(crate) fn english(&self) -> Option<SiteConfig> {
        let en = self.en.as_ref()?;
        let mut out = self.clone();
        out.name = en.name.clone();
        out.short_name = en.short_name.clone();
        out.description = en.description.clone();
        out.language = "en".to_owned();
        out.operator.name = en.operator.name.clone();
        out.operator.department = en.operator.department.clone();
        out.operator.address = en.operator.address.clone();
        out.operator.privacy_officer = en.operator.privacy_officer.clone();
        for (items, titles) in [
            (&mut out.nav, &en.nav),
            (&mut out.utility, &en.utility),
            (&mut out.open_data, &en.open_data),
            (&mut out.feeds, &en.feeds),
        ] {
            for (item, title) in items.iter_mut().zip(titles) {
                item.title = title.clone();
            }
        }
        out.figures = en.figures.clone();
        out.consent.purpose = en.consent.purpose.clone();
        out.consent.items = en.consent.items.clone();
        out.consent.retention = en.consent.retention.clone();
        out.consent.refusal = en.consent.refusal.clone();
        out.job_consent = en.job_consent.clone();
        out.en = None;
        Some(out)
    }
}

/// The longest line of the form's consent box, in characters: Korean says
/// in 80 what English says in about twice as many. The employer's line
/// (`job_consent.employer`) says five things and may be twice as long.
const CONSENT_LINE_KO: usize = 80;
const CONSENT_LINE_EN: usize = 160;

/// One line of the compact consent box (`consent:`, `job_consent:`): one
/// short sentence, no line break. Longer texts belong on the privacy page
/// that the box links to (`consent.notice`). A line too long is reported
/// and still read, so that the checks after reading run too.
fn consent_line(
    c: &mut Fields<'_>,
    key: &'static str,
    expected: crate::i18n::Text,
    max: usize,
) -> Option<String> {
    let v: String = c.req(key, expected)?;
    let n = v.trim().chars().count();
    if n > max || v.trim().contains('\n') {
        c.invalid(
            key,
            t!("too long for the form's consent box"),
            t!("{n} characters", n = n),
            t!(
                "one line of at most {max} characters; the details belong on the privacy page that `consent.notice` names",
                max = max
            ),
        );
    }
    Some(v)
}

/// The four lines of a consent text (purpose, items, retention, refusal),
/// each at most `max` characters; `english` for the `en:` version.
fn consent_four(c: &mut Fields<'_>, max: usize, english: bool) -> [Option<String>; 4] {
    let what = |korean: crate::i18n::Text| if english { en_text() } else { korean };
    [
        consent_line(c, "purpose", what(t!("the purpose of collection")), max),
        consent_line(c, "items", what(t!("the items collected")), max),
        consent_line(c, "retention", what(t!("how long data is kept")), max),
        consent_line(
            c,
            "refusal",
            what(t!("the right to refuse and what follows")),
            max,
        ),
    ]
}

/// A site page's address (`/privacy/`), as `consent.notice` and
/// `form_help` write it.
fn page_address(f: &mut Fields<'_>, key: &'static str) -> Option<String> {
    let v: String = f.opt(key)?;
    let id = v.strip_prefix('/').and_then(|s| s.strip_suffix('/'));
    match id {
        Some(id) if !id.is_empty() && !id.contains('/') => Some(v),
        _ => {
            f.invalid(
                key,
                t!("not the address of a page of the site"),
                format!("`{v}`"),
                t!("the address of a page in content/pages/, e.g. \"/privacy/\""),
            );
            None
        }
    }
}

/// English titles for a list of links, one per Korean item.
fn en_titles(g: &mut Fields<'_>, key: &'static str, korean: usize) -> Option<Vec<String>> {
    if korean == 0 && !g.value_present(key) {
        return Some(Vec::new());
    }
    let titles = g.list::<String>(key, korean > 0, en_text());
    en_same_length(g, key, titles.len(), korean).then_some(titles)
}

fn read_site_en(g: &mut Fields<'_>, ko: &SiteConfig) -> Option<SiteEn> {
    let name = g.req::<String>("name", en_text());
    let short_name = g.opt::<String>("short_name");
    let description = g.req::<String>("description", en_text());
    let operator = g.nested("operator", true, t!("the English version"), |o| {
        let name = o.req::<String>("name", en_text());
        let department = en_paired(o, "department", Some(ko.operator.department.is_some()));
        let address = o.req::<String>("address", en_text());
        let privacy_officer = en_paired(
            o,
            "privacy_officer",
            Some(ko.operator.privacy_officer.is_some()),
        );
        Some(OperatorEn {
            name: name?,
            department: department?,
            address: address?,
            privacy_officer: privacy_officer?,
        })
    });
    let nav = en_titles(g, "nav", ko.nav.len());
    let utility = en_titles(g, "utility", ko.utility.len());
    let open_data = en_titles(g, "open_data", ko.open_data.len());
    let feeds = en_titles(g, "feeds", ko.feeds.len());
    let figures = if ko.figures.is_empty() && !g.value_present("figures") {
        Some(Vec::new())
    } else {
        let list = g.list_of(
            "figures",
            !ko.figures.is_empty(),
            t!("a headline figure"),
            |h| {
                let value = h.req::<String>("value", en_text());
                let label = h.req::<String>("label", en_text());
                Some(Figure {
                    value: value?,
                    label: label?,
                })
            },
        );
        en_same_length(g, "figures", list.len(), ko.figures.len()).then_some(list)
    };
    let consent = g.nested("consent", true, t!("the English version"), |c| {
        let [purpose, items, retention, refusal] = consent_four(c, CONSENT_LINE_EN, true);
        Some(ConsentEn {
            purpose: purpose?,
            items: items?,
            retention: retention?,
            refusal: refusal?,
        })
    });
    let job_consent = if ko.job_consent.is_some() {
        g.nested("job_consent", true, t!("the English version"), |c| {
            let [purpose, items, retention, refusal] = consent_four(c, CONSENT_LINE_EN, true);
            let employer = consent_line(
                c,
                "employer",
                t!("what is given to the employer, for what, and for how long ({company} names the employer)"),
                2 * CONSENT_LINE_EN,
            );
            Some(JobConsent {
                purpose: purpose?,
                items: items?,
                retention: retention?,
                refusal: refusal?,
                employer: employer?,
                en: None,
            })
        })
        .map(Some)
    } else {
        en_paired(g, "job_consent", Some(false)).map(|_| None)
    };
    Some(SiteEn {
        short_name: short_name.or_else(|| name.clone())?,
        name: name?,
        description: description?,
        operator: operator?,
        nav: nav?,
        utility: utility?,
        open_data: open_data?,
        feeds: feeds?,
        figures: figures?,
        consent: consent?,
        job_consent: job_consent?,
    })
}

pub(crate) fn read_site(f: &mut Fields<'_>) -> Option<SiteConfig> {
    let name = f.req::<String>("name", t!("the portal's name"));
    let short_name = f.opt::<String>("short_name");
    let description = f.req::<String>("description", t!("a one-line description"));
    let base_url = f.req::<Url>(
        "base_url",
        t!("the site's address, e.g. https://sbiz.example.kr"),
    );
    if let Some(u) = &base_url
        && (u.0.ends_with('/') || u.0.matches('/').count() > 2)
    {
        f.invalid(
            "base_url",
            t!("the address must be an origin only"),
            format!("{:?}", u.0),
            t!("scheme and host without a path or trailing slash, e.g. https://sbiz.example.kr"),
        );
    }
    let language = f.or::<String>("language", "ko".into());
    let official = f.or("official", false);
    let sample_content = f.or("sample_content", true);
    let per_page = f.or::<u16>("per_page", 12);
    if !(1..=100).contains(&per_page) {
        f.invalid(
            "per_page",
            t!("page size out of range"),
            per_page.to_string(),
            t!("a number from 1 to 100"),
        );
    }
    let operator = f.nested("operator", true, t!("the operator's details"), |o| {
        Some(Operator {
            name: o.req("name", t!("the operating body's name"))?,
            department: o.opt("department"),
            address: o.req("address", t!("a postal address"))?,
            phone: o.req("phone", t!("a phone number"))?,
            email: o.opt("email"),
            privacy_officer: o.opt("privacy_officer"),
        })
    });
    let nav = f.list_of("nav", true, t!("a menu item"), site_link);
    let utility = f.list_of("utility", false, t!("a menu item"), site_link);
    let open_data = f.list_of("open_data", false, t!("a menu item"), site_link);
    let feeds = f.list_of("feeds", false, t!("a menu item"), site_link);
    let figures = f.list_of("figures", false, t!("a headline figure"), |g| {
        let value = g.req::<String>("value", t!("the figure as shown, e.g. 74,594곳"));
        let label = g.req::<String>("label", t!("what it counts"));
        Some(Figure {
            value: value?,
            label: label?,
        })
    });
    let booking = f.nested("booking", true, t!("the booking settings"), |b| {
        let retention_days = b.req::<u16>("retention_days", t!("days to keep personal data"));
        let job_retention = b.opt::<u16>("job_retention_days");
        let no_show = b.nested("no_show", true, t!("the no-show rule"), |n| {
            Some(NoShowRule {
                max: n.req("max", t!("the number of no-shows that blocks booking"))?,
                window_days: n.req(
                    "window_days",
                    t!("the number of days no-shows are counted over"),
                )?,
                block_days: n.req("block_days", t!("the number of days booking is blocked"))?,
            })
        });
        if let Some(r) = retention_days
            && !(1..=1825).contains(&r)
        {
            b.invalid(
                "retention_days",
                t!("retention out of range"),
                r.to_string(),
                t!("1 to 1825 days (5 years)"),
            );
        }
        let retention_days = retention_days?;
        // Job applications are kept for less time than bookings.
        let job_retention_days = match job_retention {
            Some(j) if j == 0 || j >= retention_days => {
                b.invalid(
                    "job_retention_days",
                    t!("job applications must be kept for less time than bookings"),
                    j.to_string(),
                    t!(
                        "1 to {n} days (less than `retention_days`)",
                        n = retention_days.saturating_sub(1).max(1)
                    ),
                );
                j
            }
            Some(j) => j,
            None => sbiz_catalog::DEFAULT_JOB_RETENTION_DAYS.min(retention_days),
        };
        Some(BookingSettings {
            retention_days,
            job_retention_days,
            no_show: no_show?,
        })
    });
    let consent = f.nested("consent", true, t!("the consent text"), |c| {
        let version = c.req("version", t!("a version label such as \"2026-11-01\""));
        let [purpose, items, retention, refusal] = consent_four(c, CONSENT_LINE_KO, false);
        let notice = page_address(c, "notice");
        Some(Consent {
            version: version?,
            purpose: purpose?,
            items: items?,
            retention: retention?,
            refusal: refusal?,
            notice,
            en: None,
        })
    });
    let reminder = f.nested("reminder", false, t!("the reminder before use"), |r| {
        let days_before = r.req::<u16>(
            "days_before",
            t!("how many days before the day of use (0 = that morning)"),
        );
        let at = r.req::<TimeOfDay>("at", t!("the time it is sent, e.g. \"10:00\""));
        if let Some(d) = days_before
            && d > 14
        {
            r.invalid(
                "days_before",
                t!("reminder too early"),
                d.to_string(),
                t!("0 to 14 days before the day of use"),
            );
        }
        Some(Reminder {
            days_before: days_before?,
            at: at?,
        })
    });
    let messaging = f.nested(
        "messaging",
        false,
        t!("the channels this deployment sends messages by"),
        |m| {
            let sms = m.req::<bool>("sms", t!("true or false: whether 문자 are sent"));
            let email = m.req::<bool>("email", t!("true or false: whether e-mails are sent"));
            Some(
                [
                    (sms?, sbiz_catalog::Channel::Sms),
                    (email?, sbiz_catalog::Channel::Email),
                ]
                .into_iter()
                .filter_map(|(on, c)| on.then_some(c))
                .collect::<Vec<_>>(),
            )
        },
    );
    let job_consent = f.nested(
        "job_consent",
        false,
        t!("the consent text of job application forms"),
        |c| {
            let [purpose, items, retention, refusal] = consent_four(c, CONSENT_LINE_KO, false);
            let employer = consent_line(
                c,
                "employer",
                t!("what is given to the employer, for what, and for how long ({company} names the employer)"),
                2 * CONSENT_LINE_KO,
            );
            Some(JobConsent {
                purpose: purpose?,
                items: items?,
                retention: retention?,
                refusal: refusal?,
                employer: employer?,
                en: None,
            })
        },
    );
    let form_help = page_address(f, "form_help");
    // Read after the Korean it translates; known even when the Korean failed.
    f.known("en");
    let mut config = SiteConfig {
        en: None,
        reminder,
        messaging: messaging.unwrap_or_default(),
        short_name: short_name.or_else(|| name.clone())?,
        name: name?,
        description: description?,
        base_url: base_url?.0,
        language,
        official,
        sample_content,
        per_page,
        operator: operator?,
        nav,
        utility,
        open_data,
        feeds,
        figures,
        booking: booking?,
        consent: consent?,
        job_consent,
        form_help,
    };
    config.en = f.nested("en", false, t!("the English version"), |g| {
        read_site_en(g, &config)
    });
    Some(config)
}

/// A link of the site's chrome: a title and a path on the site.
fn site_link(n: &mut Fields<'_>) -> Option<NavItem> {
    let title = n.req::<String>("title", t!("the menu text"));
    let url = n.req::<String>("url", t!("a site path such as /programmes/"));
    // A relative address is refused with the links (`links::site_yaml`),
    // which know the pages it may have meant.
    if let Some(u) = &url
        && !is_site_path(u)
        && !is_relative_site_link(u)
    {
        n.invalid(
            "url",
            t!("menu links must be site paths"),
            format!("{u:?}"),
            t!("a path starting with a single /, such as /programmes/"),
        );
    }
    Some(NavItem {
        title: title?,
        url: url?,
    })
}

/// Whether a link of the site's chrome is a path on the site: it starts
/// with a single `/` (`//host/` and `/\host/` lead off the site in a
/// browser).
pub(crate) fn is_site_path(url: &str) -> bool {
    url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\")
}

/// Whether a link of the site's chrome is a relative address (`guide`,
/// `../programmes/`, `www.example.kr`), read against each page's own
/// address by a browser. `//host/`, which leads off the site, is not one.
pub(crate) fn is_relative_site_link(url: &str) -> bool {
    crate::markdown::is_relative(url) && !url.starts_with("//")
}
