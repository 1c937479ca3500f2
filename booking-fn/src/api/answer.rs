//! What the function answers, as one typed value.
//!
//! Every answer of a handler is an [`Answer`]: a serde-tagged enum (`kind`)
//! that is both the JSON body ([`Answer::json`]) and the context of the page
//! a browser gets (`answer` in `forms/answer.html`, rendered by
//! [`super::pages`]). The Korean lead texts live in the templates; this
//! module only says which occasion a record is shown for and the page's
//! title.

use sbiz_catalog::{Lang, Survey};
use sbiz_presentation::forms::{FormView, Values};
use serde::Serialize;

use super::views::{ApplicationView, Named, ReservationView};
use crate::Error;
use crate::domain::TargetKind;
use crate::service::{Availability, JobStatus, SurveySummary};

/// Why a reservation or application is shown: the template picks the lead
/// text from it and the record's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Occasion {
    /// Just made (or the page a made record redirects to).
    Made,
    /// Just made, an application for a programme or a policy.
    Applied(TargetKind),
    /// The same booking sent again without an idempotency key: the booking
    /// made the first time, without its management link.
    Repeat,
    /// Opened by its management link or found by 예약 조회.
    Shown,
    /// Just cancelled by its holder.
    Cancelled,
    /// Just moved to another time by its holder (예약 변경).
    Rescheduled,
}

impl Occasion {
    /// The title of a reservation's page.
    pub fn reservation_heading(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Ko, Occasion::Made | Occasion::Applied(_) | Occasion::Repeat) => "예약 결과",
            (Lang::Ko, Occasion::Shown) => "예약 조회",
            (Lang::Ko, Occasion::Cancelled) => "예약 취소",
            (Lang::Ko, Occasion::Rescheduled) => "예약 변경",
            (Lang::En, Occasion::Made | Occasion::Applied(_) | Occasion::Repeat) => {
                "Your reservation"
            }
            (Lang::En, Occasion::Shown) => "Look up a reservation",
            (Lang::En, Occasion::Cancelled) => "Reservation cancelled",
            (Lang::En, Occasion::Rescheduled) => "Reservation changed",
        }
    }

    /// The title of an application's page.
    pub fn application_heading(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Ko, Occasion::Applied(TargetKind::Programme)) => "교육 신청 결과",
            (Lang::Ko, Occasion::Applied(TargetKind::Policy)) => "지원사업 신청 결과",
            (Lang::Ko, Occasion::Applied(TargetKind::Job)) => "구인 지원 결과",
            (
                Lang::Ko,
                Occasion::Made | Occasion::Repeat | Occasion::Shown | Occasion::Rescheduled,
            ) => "신청 조회",
            (Lang::Ko, Occasion::Cancelled) => "신청 취소",
            (Lang::En, Occasion::Applied(TargetKind::Programme)) => "Your course application",
            (Lang::En, Occasion::Applied(TargetKind::Policy)) => "Your support scheme application",
            (Lang::En, Occasion::Applied(TargetKind::Job)) => "Your job application",
            (
                Lang::En,
                Occasion::Made | Occasion::Repeat | Occasion::Shown | Occasion::Rescheduled,
            ) => "Your application",
            (Lang::En, Occasion::Cancelled) => "Application cancelled",
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Occasion::Made | Occasion::Applied(_) => "made",
            Occasion::Repeat => "repeat",
            Occasion::Shown => "shown",
            Occasion::Cancelled => "cancelled",
            Occasion::Rescheduled => "rescheduled",
        }
    }
}

impl Serialize for Occasion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The links of a record's page; `secret` is what the cancel form sends
/// back as `secret_name` (`token`, or `phone` after 예약 조회).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Links {
    /// The management link (with its secret), to keep; `None` when the
    /// record was found by phone number (the token is not stored).
    pub manage: Option<String>,
    /// Where the cancel form posts, when cancelling is possible.
    pub cancel: Option<String>,
    /// The survey form, when open.
    pub survey: Option<String>,
    /// The reservation as an iCalendar file.
    pub ics: Option<String>,
    /// Where the 예약 변경 form posts (a reservation opened by its
    /// management link, before the cancel deadline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reschedule: Option<String>,
    pub secret_name: &'static str,
    pub secret: String,
    /// 내 예약·신청's list, when the record was opened from it.
    pub list: Option<String>,
}

/// A reservation or an application, for its holder.
#[derive(Debug, Serialize)]
pub(crate) struct RecordAnswer<V> {
    pub heading: &'static str,
    pub occasion: Occasion,
    pub record: V,
    pub links: Links,
    /// Given again for an idempotency key already used.
    #[serde(skip)]
    pub replayed: bool,
    /// The 예약 변경 form (with [`Links::reschedule`]): the booking form's
    /// date, start time and duration, filled with the reservation's run or
    /// with what a refused move sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub move_form: Option<FormView>,
    /// A refused 예약 변경, shown again on the reservation's page with
    /// why (JavaScript off); the form keeps what was typed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub move_again: Option<MoveAgain>,
}

/// Why a 예약 변경 was refused, in the page's language: what the error
/// summary says besides the links to the fields of the form (`move_form`)
/// that hold each problem; empty when those say it all.
#[derive(Debug, Serialize)]
pub(crate) struct MoveAgain {
    pub message: String,
}

/// A form shown again with what was sent and what is wrong.
#[derive(Debug, Serialize)]
pub(crate) struct FormAgain {
    pub heading: String,
    pub form: FormView,
    pub code: &'static str,
    /// `already_applied`: how to find the application already made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub already: Option<AlreadyApplied>,
}

/// The ways to the application a person already made, for an
/// `already_applied` answer: its management link and number (always), 내
/// 예약·신청 (when this deployment sends its 인증번호) and a phone to call:
/// the facility in charge, a policy's own contact, or the site's 대표전화.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AlreadyApplied {
    /// 내 예약·신청 can find it (`/my/` in the page's language).
    pub my: bool,
    pub phone: Option<String>,
    /// Whose phone `phone` is, for the words before it.
    pub phone_of: PhoneOf,
}

/// Whose phone an `already_applied` page gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum PhoneOf {
    /// The facility that runs the programme or posted the job.
    Facility,
    /// The policy's own contact (`contact` of the policy).
    Policy,
    /// The site's 대표전화 (the operator's phone in `site.yaml`), for a
    /// policy without a contact.
    Site,
}

/// The survey for the holder of a reservation or application.
#[derive(Debug, Serialize)]
pub(crate) struct SurveyAnswer {
    pub heading: String,
    pub form: FormView,
    /// The JSON answer (`None` for a survey form shown again).
    #[serde(skip)]
    pub json: Option<SurveyJson>,
}

#[derive(Debug, Serialize)]
pub(crate) struct SurveyJson {
    pub survey: Survey,
    pub about: String,
    pub action: String,
}

/// A page that says something happened (`about` picks the text).
#[derive(Debug, Serialize)]
pub(crate) struct Message {
    pub heading: &'static str,
    pub about: &'static str,
    pub back: Option<String>,
    #[serde(skip)]
    pub survey: sbiz_catalog::Id,
}

/// What went wrong, when there is no form to show again.
#[derive(Debug, Serialize)]
pub(crate) struct ErrorAnswer {
    pub heading: &'static str,
    pub message: String,
    pub fields: Vec<String>,
    pub code: &'static str,
    pub back: Option<String>,
    /// `already_applied`: how to find the application already made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub already: Option<AlreadyApplied>,
}

/// A status a staff member may move a record to, with its button label.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Action {
    pub status: &'static str,
    pub label: &'static str,
}

/// A record with what staff may do with it.
#[derive(Debug, Serialize)]
pub(crate) struct Row<V> {
    pub record: V,
    pub actions: Vec<Action>,
    /// A reservation that can be marked 이용 완료 or 예약 부도 now (its
    /// checkbox on the admin page).
    pub markable: bool,
}

/// A record a staff action over several was refused for: its code, the
/// error code and the message.
#[derive(Debug, Serialize)]
pub(crate) struct Refused {
    pub code: String,
    pub error: &'static str,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
}

/// The filter form of the admin page, as sent.
#[derive(Debug, Default, Serialize)]
pub(crate) struct AdminFilter {
    pub facility: String,
    pub equipment: String,
    pub status: String,
    pub from: String,
    pub to: String,
    pub kind: String,
    /// 신청 대상: `programme:<id>`, `policy:<id>` or `job:<id>`.
    pub target: String,
    pub astatus: String,
}

/// 전화·방문 접수: the staff booking form, again with what was typed and
/// the problems after a refused post.
#[derive(Debug, Serialize)]
pub(crate) struct StaffBookingAnswer {
    pub heading: &'static str,
    /// The equipment of the staff member's facilities.
    pub equipment: Vec<Named>,
    pub consent_methods: Vec<Choice>,
    /// The rules staff may waive (`override_<value>`).
    pub overrides: Vec<Choice>,
    /// What was typed (after a refused post).
    pub values: std::collections::BTreeMap<String, String>,
    /// The problems per field, in Korean.
    pub errors: std::collections::BTreeMap<String, String>,
    /// What went wrong, when it is not one field's problem.
    pub message: String,
    pub code: &'static str,
}

/// 교육 수료 기록: the form staff record a completed programme with.
#[derive(Debug, Serialize)]
pub(crate) struct TrainingFormAnswer {
    pub heading: &'static str,
    /// The programmes of the staff member's facilities.
    pub programmes: Vec<Named>,
    pub values: std::collections::BTreeMap<String, String>,
    /// The problems per field, in Korean.
    pub errors: std::collections::BTreeMap<String, String>,
    pub message: String,
    pub code: &'static str,
    /// A record was just saved (the page after the post).
    pub recorded: bool,
}

/// The admin page.
#[derive(Debug, Serialize)]
pub(crate) struct AdminAnswer {
    pub heading: &'static str,
    pub scope: String,
    pub facilities: Vec<Named>,
    /// The equipment of the scope, for the list's 장비 filter.
    pub equipment: Vec<Named>,
    /// The programmes, policies and job postings whose applications the
    /// scope sees, for the list's 신청 대상 filter.
    pub targets: Vec<Choice>,
    pub filter: AdminFilter,
    pub filter_query: String,
    /// The function's today (Korea time), for the 오늘 이용 link.
    pub today: String,
    /// How many reservations from today on wait for 승인 (the link to them).
    pub pending: usize,
    /// The reservations opened at today's page by themselves (no page,
    /// dates or search was asked for).
    pub landed: bool,
    pub done: Option<String>,
    pub reservation_statuses: Vec<Choice>,
    pub application_statuses: Vec<Choice>,
    pub reservations: Vec<Row<ReservationView>>,
    /// How many reservations of the page can be marked 이용 완료 or 예약
    /// 부도 (their checkboxes and the form that marks those chosen).
    pub markable: usize,
    pub applications: Vec<Row<ApplicationView>>,
    /// How many course enrolments of the page can be marked 수료 or 불참.
    pub amarkable: usize,
    pub reservations_csv: String,
    pub applications_csv: String,
    pub surveys: Vec<SurveySummary>,
    /// The job postings of the scope that take applications, with their
    /// state and the filled switch.
    pub jobs: Vec<AdminJob>,
    /// Whether the staff member is `*` (the audit log link).
    pub is_all: bool,
    /// What was searched (a code or a phone number), and why it found
    /// nothing when it was neither.
    pub search: String,
    pub search_error: Option<String>,
    /// How many records the lists have in all (the lists show one page).
    pub reservations_total: usize,
    pub applications_total: usize,
    pub reservations_pager: Pager,
    pub applications_pager: Pager,
}

/// Where a paged list is, with the links to the pages before and after
/// (which keep the filters).
#[derive(Debug, Serialize)]
pub(crate) struct Pager {
    pub page: usize,
    pub pages: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
}

/// One message of a record's history, for staff (never its text).
#[derive(Debug, Serialize)]
pub(crate) struct MessageView {
    pub id: String,
    pub event: &'static str,
    pub event_label: &'static str,
    pub channel: &'static str,
    pub channel_label: &'static str,
    pub status: &'static str,
    pub status_label: &'static str,
    pub attempts: u32,
    /// Korea time, `2026-03-03 09:00`.
    pub created_at: String,
    pub updated_at: String,
    pub sent_at: Option<String>,
    /// The last failure's code, and what it means in Korean.
    pub last_error: Option<String>,
    pub error_label: Option<String>,
    /// Whether staff may send it again (sent, or failed for good).
    pub resendable: bool,
    pub resend_url: String,
}

/// A record's message history (the staff page and `GET
/// /api/admin/{reservations|applications}/{code}/messages`).
#[derive(Debug, Serialize)]
pub(crate) struct MessagesAnswer {
    pub heading: String,
    /// `reservation` or `application`.
    pub record_kind: &'static str,
    pub code: String,
    /// The page's address (its forms' return target after a sign-in).
    pub page: String,
    pub messages: Vec<MessageView>,
    /// The id of the message just queued again, after a resend.
    pub resent: Option<String>,
    /// Which channels this deployment sends.
    pub channels: crate::messaging::ChannelsStatus,
}

/// A job posting on the admin page.
#[derive(Debug, Serialize)]
pub(crate) struct AdminJob {
    pub title: String,
    pub company: String,
    pub deadline: String,
    pub status: JobStatus,
}

/// A facility of the closure form, with its equipment.
#[derive(Debug, Serialize)]
pub(crate) struct ClosureTarget {
    pub id: String,
    pub name: String,
    pub equipment: Vec<Named>,
}

/// A closure on the staff page and in the API.
#[derive(Debug, Serialize)]
pub(crate) struct ClosureView {
    pub id: String,
    /// 임시 휴관 or 장비 사용 중지.
    pub term: &'static str,
    pub facility: Named,
    pub equipment: Option<Named>,
    pub from: String,
    pub to: String,
    pub reason: &'static str,
    pub reason_label: &'static str,
    pub note: String,
    /// What the people whose bookings are cancelled read as the reason
    /// (in Korean; English bookings read it in English, see
    /// `service::closure_reason_in`).
    pub message_reason: String,
    pub staff: String,
    pub created_at: String,
    /// The live bookings (승인 대기, 확정) inside it.
    pub bookings: Vec<ReservationView>,
}

/// 휴관·사용 중지 관리 (`/api/admin/closures`).
#[derive(Debug, Serialize)]
pub(crate) struct ClosuresAnswer {
    pub heading: &'static str,
    pub scope: String,
    pub targets: Vec<ClosureTarget>,
    pub reasons: Vec<Choice>,
    pub closures: Vec<ClosureView>,
    /// What just happened, for the status box.
    pub notice: Option<String>,
    /// The form as sent, and what is wrong with it, after an error.
    pub values: std::collections::BTreeMap<String, String>,
    pub errors: std::collections::BTreeMap<String, String>,
    pub error: Option<String>,
    pub is_all: bool,
}

/// One audit entry for `*` staff.
#[derive(Debug, Serialize)]
pub(crate) struct AuditView {
    pub at: String,
    pub staff: String,
    pub action: String,
    pub action_label: String,
    pub record: String,
    pub detail: String,
}

/// 감사 기록 (`/api/admin/audit`).
#[derive(Debug, Serialize)]
pub(crate) struct AuditAnswer {
    pub heading: &'static str,
    pub filter: std::collections::BTreeMap<String, String>,
    pub actions: Vec<Choice>,
    pub entries: Vec<AuditView>,
    pub csv: String,
}

/// A record in 내 예약·신청's list, with what its holder may do.
#[derive(Debug, Serialize)]
pub(crate) struct MyItem<V> {
    pub record: V,
    /// Its page (view).
    pub view: String,
    /// Where the cancel form posts, while it can be cancelled.
    pub cancel: Option<String>,
    /// Its survey, while open and not yet answered.
    pub survey: Option<String>,
}

/// 내 예약·신청 (`/api/my`): one of its steps.
#[derive(Debug, Serialize)]
pub(crate) struct MyAnswer {
    pub heading: &'static str,
    /// `phone` (the number form), `code` (the 인증번호 form), `list` (the
    /// records of a signed-in person) or `unavailable` (this deployment
    /// sends no 문자).
    pub step: &'static str,
    pub form: Option<FormView>,
    /// What just happened, for the status box.
    pub notice: Option<String>,
    /// The session's end, Korea time (`YYYY-MM-DD HH:MM`), on the list.
    pub until: Option<String>,
    pub reservations: Vec<MyItem<ReservationView>>,
    pub applications: Vec<MyItem<ApplicationView>>,
    /// Whether this deployment can send 인증번호 문자 (JSON).
    #[serde(skip)]
    pub sms: bool,
}

/// The search form with what was asked and the results.
#[derive(Debug, Serialize)]
pub(crate) struct SearchAnswer {
    pub search: sbiz_presentation::search::SearchView,
    /// The edition searched: the page's title and breadcrumb in its language.
    pub lang: Lang,
}

#[derive(Debug, Serialize)]
pub(crate) struct Health {
    pub status: &'static str,
    pub store: &'static str,
    pub catalog_version: u32,
    pub now: String,
    /// Which provider sends each channel (`null`: not configured).
    pub channels: crate::messaging::ChannelsStatus,
    /// The channels the site's forms offer (`site.yaml` `messaging:`).
    pub site_channels: Vec<sbiz_catalog::Channel>,
    /// Whether the configured channels are exactly those.
    pub channels_match_site: bool,
}

/// Everything a handler answers.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Answer {
    Reservation(RecordAnswer<ReservationView>),
    Application(RecordAnswer<ApplicationView>),
    Form(FormAgain),
    Survey(SurveyAnswer),
    Message(Message),
    Error(ErrorAnswer),
    Admin(Box<AdminAnswer>),
    Search(Box<SearchAnswer>),
    Messages(Box<MessagesAnswer>),
    My(Box<MyAnswer>),
    /// The usage report (이용 현황).
    Report(Box<super::handlers::reports::ReportAnswer>),
    /// The free times of a piece of equipment, as a page (JavaScript off).
    Times(Box<super::handlers::availability::TimesAnswer>),
    Closures(Box<ClosuresAnswer>),
    Audit(Box<AuditAnswer>),
    StaffBooking(Box<StaffBookingAnswer>),
    TrainingForm(Box<TrainingFormAnswer>),
    // JSON only.
    Health(Health),
    Availability(Availability),
    Scope {
        scope: String,
    },
    Reservations {
        reservations: Vec<ReservationView>,
    },
    Applications {
        applications: Vec<ApplicationView>,
    },
    StaffApplication {
        application: ApplicationView,
        promoted: Option<ApplicationView>,
    },
    StaffReservation {
        reservation: ReservationView,
    },
    /// Several reservations marked at once: those changed, and each one
    /// refused with why.
    Marked {
        reservations: Vec<ReservationView>,
        refused: Vec<Refused>,
    },
    /// Several course enrolments marked at once.
    MarkedApplications {
        applications: Vec<ApplicationView>,
        refused: Vec<Refused>,
    },
    /// A training record just written (no person key in the answer).
    Training {
        programme: String,
        completed: String,
        entry: String,
    },
    SurveySummary(SurveySummary),
    JobStatus(JobStatus),
    StaffMessage {
        message: MessageView,
    },
    Closure {
        closure: ClosureView,
    },
    CancelledBookings {
        cancelled: Vec<ReservationView>,
    },
    Found {
        reservations: Vec<ReservationView>,
        applications: Vec<ApplicationView>,
    },
}

/// The title and address of an answer's page.
pub(crate) struct PageMeta {
    pub title: String,
    /// The breadcrumb's last item when it differs from the title (a form
    /// shown again is titled "입력 내용 확인: …" but its crumb is the form's).
    pub crumb: Option<String>,
    /// The breadcrumb's item between 홈 and the page, as (title, address):
    /// the admin page ([`ADMIN_HOME`]) for the staff pages below it.
    pub parent: Option<(&'static str, &'static str)>,
    pub url: String,
}

/// The admin page as the staff pages' breadcrumb names it (its heading):
/// 홈 › 예약·신청 관리 › (the page), one click back to it.
pub(crate) const ADMIN_HOME: (&str, &str) = ("예약·신청 관리", "/api/admin/dashboard");

pub(crate) const ERROR_HEADING: &str = "처리하지 못했습니다";
/// [`ERROR_HEADING`] in English.
pub(crate) const ERROR_HEADING_EN: &str = "We could not do that";

impl Answer {
    /// The JSON body of the answer; `None` for answers that are pages only
    /// (a form shown again, an error page, the admin page).
    pub fn json(&self) -> Option<serde_json::Value> {
        let value = match self {
            Answer::Reservation(r) => serde_json::to_value(ReservationJson {
                reservation: &r.record,
                token: &r.links.secret,
                manage_url: r.links.manage.as_deref(),
                survey_url: r.links.survey.as_deref(),
                ics_url: r.links.ics.as_deref(),
                replayed: r.replayed,
                repeat: r.occasion == Occasion::Repeat,
            }),
            Answer::Application(a) => serde_json::to_value(ApplicationJson {
                application: &a.record,
                token: &a.links.secret,
                manage_url: a.links.manage.as_deref(),
                survey_url: a.links.survey.as_deref(),
                replayed: a.replayed,
            }),
            Answer::Survey(s) => serde_json::to_value(s.json.as_ref()?),
            Answer::Message(m) => serde_json::to_value(Submitted {
                survey: &m.survey,
                submitted: true,
            }),
            Answer::Error(_)
            | Answer::Times(_)
            | Answer::Form(_)
            | Answer::Admin(_)
            | Answer::StaffBooking(_)
            | Answer::TrainingForm(_) => {
                return None;
            }
            Answer::Health(h) => serde_json::to_value(h),
            Answer::Availability(a) => serde_json::to_value(a),
            Answer::Scope { scope } => serde_json::to_value(ScopeJson { scope }),
            Answer::Reservations { reservations } => {
                serde_json::to_value(ReservationsJson { reservations })
            }
            Answer::Applications { applications } => {
                serde_json::to_value(ApplicationsJson { applications })
            }
            Answer::StaffApplication {
                application,
                promoted,
            } => serde_json::to_value(StaffApplicationJson {
                application,
                promoted: promoted.as_ref(),
            }),
            Answer::StaffReservation { reservation } => {
                serde_json::to_value(StaffReservationJson { reservation })
            }
            Answer::Marked {
                reservations,
                refused,
            } => serde_json::to_value(
                serde_json::json!({ "reservations": reservations, "refused": refused }),
            ),
            Answer::MarkedApplications {
                applications,
                refused,
            } => serde_json::to_value(
                serde_json::json!({ "applications": applications, "refused": refused }),
            ),
            Answer::Training {
                programme,
                completed,
                entry,
            } => serde_json::to_value(serde_json::json!({
                "training": { "programme": programme, "completed": completed, "entry": entry }
            })),
            Answer::SurveySummary(s) => serde_json::to_value(s),
            Answer::JobStatus(j) => serde_json::to_value(j),
            Answer::Search(s) => serde_json::to_value(&s.search),
            Answer::Messages(m) => serde_json::to_value(serde_json::json!({
                "subject": { "kind": m.record_kind, "code": m.code },
                "messages": m.messages,
            })),
            Answer::Report(r) => serde_json::to_value(&r.report),
            Answer::StaffMessage { message } => {
                serde_json::to_value(serde_json::json!({ "message": message }))
            }
            Answer::My(m) => serde_json::to_value(MyJson::of(m)),
            Answer::Closures(c) => {
                serde_json::to_value(serde_json::json!({ "closures": c.closures }))
            }
            Answer::Audit(a) => serde_json::to_value(serde_json::json!({ "entries": a.entries })),
            Answer::Closure { closure } => {
                serde_json::to_value(serde_json::json!({ "closure": closure }))
            }
            Answer::Found {
                reservations,
                applications,
            } => serde_json::to_value(
                serde_json::json!({ "reservations": reservations, "applications": applications }),
            ),
            Answer::CancelledBookings { cancelled } => {
                serde_json::to_value(serde_json::json!({ "cancelled": cancelled }))
            }
        };
        Some(value.unwrap_or(serde_json::Value::Null))
    }

    /// The page of the answer, for browsers; `None` for JSON-only answers.
    pub fn page(&self) -> Option<PageMeta> {
        // The staff pages below the admin page have it as their parent.
        let staff = Some(ADMIN_HOME);
        let (title, url, parent) = match self {
            Answer::Reservation(r) => (r.heading.to_owned(), "/reservation/", None),
            Answer::Application(a) => (a.heading.to_owned(), "/reservation/", None),
            Answer::Form(f) => {
                return Some(PageMeta {
                    title: match f.form.lang {
                        Lang::Ko => format!("입력 내용 확인: {}", f.heading),
                        Lang::En => format!("Check your entry: {}", f.heading),
                    },
                    crumb: Some(f.heading.clone()),
                    parent: None,
                    url: f.form.page_url.clone(),
                });
            }
            Answer::Survey(s) => (s.heading.clone(), "/reservation/", None),
            Answer::Message(m) => (m.heading.to_owned(), "/", None),
            Answer::Error(e) => (e.heading.to_owned(), "/", None),
            Answer::Admin(a) => (a.heading.to_owned(), "/admin/", None),
            Answer::StaffBooking(a) => (a.heading.to_owned(), "/admin/", staff),
            Answer::TrainingForm(a) => (a.heading.to_owned(), "/admin/", staff),
            Answer::Messages(m) => (m.heading.clone(), "/admin/", staff),
            Answer::Closures(c) => (c.heading.to_owned(), "/admin/", staff),
            Answer::Audit(a) => (a.heading.to_owned(), "/admin/", staff),
            Answer::My(m) => (m.heading.to_owned(), "/my/", None),
            Answer::Report(r) => (r.heading.to_owned(), "/admin/", staff),
            Answer::Times(t) => {
                return Some(PageMeta {
                    title: t.heading.clone(),
                    crumb: None,
                    parent: None,
                    // In Korean: the page's language is added to it.
                    url: format!("/equipment/{}/", t.equipment.id),
                });
            }
            Answer::Search(s) => {
                let name = match s.lang {
                    Lang::Ko => "통합검색",
                    Lang::En => "Search",
                };
                return Some(PageMeta {
                    title: if s.search.searched {
                        format!("{} - {name}", s.search.summary)
                    } else {
                        name.to_owned()
                    },
                    crumb: Some(name.to_owned()),
                    parent: None,
                    url: "/search/".to_owned(),
                });
            }
            _ => return None,
        };
        Some(PageMeta {
            title,
            crumb: None,
            parent,
            url: url.to_owned(),
        })
    }

    /// An error as a page: the form again with what was typed and each
    /// problem at its field when there is one, else what went wrong.
    /// In English (`lang`) the messages are those of
    /// [`english`](super::english), each field's with the field's English label.
    pub fn of_error(e: &Error, echo: Option<Echo>, back: Option<String>, lang: Lang) -> Answer {
        let message = super::english::message(e, lang);
        match echo {
            Some(echo) => {
                let mut form = echo.form;
                let (fields, message) = super::rule_field::problems(e, &form, lang);
                form.fill(&echo.values, Some(&fields), &message);
                if let Some(name) = super::rule_field::of(e) {
                    closure_note(&mut form, name, e, lang);
                }
                form.idempotency_key = Some(new_idempotency_key());
                let heading = match (form.lang, form.kind) {
                    (Lang::Ko, "reservation") => format!("{} 예약하기", form.title),
                    (Lang::Ko, "programme" | "policy") => format!("{} 신청하기", form.title),
                    (Lang::Ko, "job") => format!("{} 지원하기", form.title),
                    (Lang::En, "reservation") => format!("Book {}", form.title),
                    (Lang::En, "programme" | "policy" | "job") => {
                        format!("Apply for {}", form.title)
                    }
                    _ => form.title.clone(),
                };
                let again = FormAgain {
                    heading,
                    form,
                    code: e.code().as_str(),
                    already: None,
                };
                if again.form.kind == "survey" {
                    Answer::Survey(SurveyAnswer {
                        heading: again.heading,
                        form: again.form,
                        json: None,
                    })
                } else {
                    Answer::Form(again)
                }
            }
            None => Answer::Error(ErrorAnswer {
                heading: match lang {
                    Lang::Ko => ERROR_HEADING,
                    Lang::En => ERROR_HEADING_EN,
                },
                message,
                fields: e
                    .field_errors()
                    .map(|f| {
                        f.values()
                            .map(|m| super::english::field(m, lang, None))
                            .collect()
                    })
                    .unwrap_or_default(),
                code: e.code().as_str(),
                back,
                already: None,
            }),
        }
    }

    /// An error page with the ways to an application already made (set
    /// on `already_applied` answers).
    pub fn with_already(mut self, help: AlreadyApplied) -> Answer {
        match &mut self {
            Answer::Form(f) => f.already = Some(help),
            Answer::Error(e) => e.already = Some(help),
            _ => {}
        }
        self
    }
}

/// A form and the values that were sent with it, to show it again when the
/// answer is an error.
#[derive(Debug)]
pub(crate) struct Echo {
    pub form: FormView,
    pub values: Values,
}

/// A fresh idempotency key for a form shown again.
pub(crate) fn new_idempotency_key() -> String {
    let mut b = [0u8; 16];
    crate::domain::random_bytes(&mut b);
    hex::encode(b)
}

/// `{"error": {"code", "message", "fields"}}`, the texts in `lang` (the
/// code is the same in every language).
pub(crate) fn error_json(e: &Error, lang: Lang) -> serde_json::Value {
    let message = super::english::message(e, lang);
    let fields = e
        .field_errors()
        .map(|f| super::english::fields(f, lang, |_| None))
        .unwrap_or_default();
    serde_json::to_value(ErrorJson {
        error: ErrorBody {
            code: e.code().as_str(),
            message: &message,
            fields: &fields,
        },
    })
    .unwrap_or(serde_json::Value::Null)
}

#[derive(Serialize)]
struct ReservationJson<'a> {
    reservation: &'a ReservationView,
    token: &'a str,
    manage_url: Option<&'a str>,
    survey_url: Option<&'a str>,
    ics_url: Option<&'a str>,
    replayed: bool,
    repeat: bool,
}

#[derive(Serialize)]
struct ApplicationJson<'a> {
    application: &'a ApplicationView,
    token: &'a str,
    manage_url: Option<&'a str>,
    survey_url: Option<&'a str>,
    replayed: bool,
}

#[derive(Serialize)]
struct Submitted<'a> {
    survey: &'a sbiz_catalog::Id,
    submitted: bool,
}

#[derive(Serialize)]
struct ErrorJson<'a> {
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'a str,
    message: &'a str,
    fields: &'a std::collections::BTreeMap<String, String>,
}

#[derive(Serialize)]
struct ScopeJson<'a> {
    scope: &'a str,
}

#[derive(Serialize)]
struct ReservationsJson<'a> {
    reservations: &'a [ReservationView],
}

#[derive(Serialize)]
struct ApplicationsJson<'a> {
    applications: &'a [ApplicationView],
}

#[derive(Serialize)]
struct StaffApplicationJson<'a> {
    application: &'a ApplicationView,
    promoted: Option<&'a ApplicationView>,
}

#[derive(Serialize)]
struct StaffReservationJson<'a> {
    reservation: &'a ReservationView,
}

/// `GET /api/my` as JSON: whether the caller is signed in and, if so, the
/// records with their links; else whether codes can be sent.
#[derive(Serialize)]
struct MyJson<'a> {
    signed_in: bool,
    sms: bool,
    code_sent: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    session_expires: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reservations: Option<&'a [MyItem<ReservationView>]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    applications: Option<&'a [MyItem<ApplicationView>]>,
}

impl<'a> MyJson<'a> {
    fn of(m: &'a MyAnswer) -> MyJson<'a> {
        let list = m.step == "list";
        MyJson {
            signed_in: list,
            sms: m.sms,
            code_sent: m.step == "code",
            session_expires: m.until.as_deref(),
            reservations: list.then_some(m.reservations.as_slice()),
            applications: list.then_some(m.applications.as_slice()),
        }
    }
}

/// On an English page, the note staff added to the closure that refused a
/// booking (Korean, as typed) goes after the English message at the field
/// `name`, marked `lang="ko"` by the form's template.
fn closure_note(form: &mut FormView, name: &str, e: &Error, lang: Lang) {
    let crate::Msg::Closed { notice, .. } = e.msg() else {
        return;
    };
    if lang != Lang::En {
        return;
    }
    if let (Some(note), Some(f)) = (
        notice.note(),
        form.fields.iter_mut().find(|f| f.name == name),
    ) {
        f.error_note = Some(note.to_owned());
    }
}
