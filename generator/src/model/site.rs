//! Site settings (`content/site.yaml`).

use sbiz_catalog::{BookingSettings, Consent, JobConsent, NoShowRule, Phone, Reminder, TimeOfDay};
use serde::Serialize;

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
        Some(Consent {
            version: c.req("version", t!("a version label such as \"2026-11-01\""))?,
            purpose: c.req("purpose", t!("the purpose of collection"))?,
            items: c.req("items", t!("the items collected"))?,
            retention: c.req("retention", t!("how long data is kept"))?,
            refusal: c.req("refusal", t!("the right to refuse and what follows"))?,
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
            Some(JobConsent {
                purpose: c.req("purpose", t!("the purpose of collection"))?,
                items: c.req("items", t!("the items collected"))?,
                retention: c.req("retention", t!("how long data is kept"))?,
                refusal: c.req("refusal", t!("the right to refuse and what follows"))?,
                employer: c.req(
                    "employer",
                    t!("what is given to the employer, for what, and for how long ({company} names the employer)"),
                )?,
                en: None,
            })
        },
    );
    Some(SiteConfig {
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
    })
}

/// A link of the site's chrome: a title and a path on the site.
fn site_link(n: &mut Fields<'_>) -> Option<NavItem> {
    let title = n.req::<String>("title", t!("the menu text"));
    let url = n.req::<String>("url", t!("a site path such as /programmes/"));
    // `//host/` and `/\host/` lead off the site in a browser.
    if let Some(u) = &url
        && (!u.starts_with('/') || u.starts_with("//") || u.starts_with("/\\"))
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
