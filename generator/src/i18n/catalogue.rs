//! Every message an editor sees, as (English template, Korean wording).
//!
//! The English template is the key that call sites name with `t!`; a
//! `{name}` is an argument given there. Korean follows docs/glossary.md and
//! 공공언어: plain words, sentences in 합니다체, and no particle whose form
//! depends on a filled-in name (write "…입니다: `{name}`"). A template missing
//! here does not compile; `Text::lookup` finds the entries other crates'
//! messages, the clap help and the scaffolds' explanations map to. Entries
//! are grouped by the file that uses them; add a new message to its group.

/// (English, Korean) pairs.
pub const CATALOGUE: &[(&str, &str)] = &[
    // build.rs
    ("cannot {what}: {error}", "{what} 수 없습니다: {error}"),
    ("create the output folder", "출력 폴더를 만들"),
    ("create the build lock", "빌드 잠금 파일을 만들"),
    ("lock the build", "빌드를 잠글"),
    ("create the staging folder", "준비 폴더를 만들"),
    ("move the old output aside", "이전 출력을 옮길"),
    ("move the new output in place", "새 출력을 제자리에 옮길"),
    // diagnostics.rs
    ("error", "오류"),
    ("found:", "입력한 값:"),
    ("expected:", "올바른 값:"),
    ("help:", "도움말:"),
    (
        "check failed: {n} error",
        "검사를 통과하지 못했습니다(오류 {n}건).",
    ),
    (
        "check failed: {n} errors",
        "검사를 통과하지 못했습니다(오류 {n}건).",
    ),
    (
        "build failed: {n} error",
        "사이트를 빌드하지 못했습니다(오류 {n}건).",
    ),
    (
        "build failed: {n} errors",
        "사이트를 빌드하지 못했습니다(오류 {n}건).",
    ),
    ("{n} error", "오류 {n}건"),
    ("{n} errors", "오류 {n}건"),
    ("{n} warning", "경고 {n}건"),
    ("{n} warnings", "경고 {n}건"),
    (
        "check failed: {errors}, {warnings}",
        "검사를 통과하지 못했습니다({errors}, {warnings}).",
    ),
    (
        "build failed: {errors}, {warnings}",
        "사이트를 빌드하지 못했습니다({errors}, {warnings}).",
    ),
    ("nothing (empty value)", "없음(빈 값)"),
    ("a list of 1 item", "항목 1개인 목록"),
    ("a list of {n} items", "항목 {n}개인 목록"),
    ("a mapping (key: value pairs)", "`이름: 값` 쌍의 묶음"),
    ("a value tagged {tag}", "{tag} 태그가 붙은 값"),
    ("did you mean `{name}`?", "혹시 `{name}`인가요?"),
    // scaffold.rs: the English version
    (
        "optional: the English version of the text fields above (docs/content-model.en.md)",
        "선택: 위 글 필드의 영문 버전(docs/content-model.md)",
    ),
    (
        "with apply.form: each field's English, by id",
        "apply.form이 있을 때: 항목 id마다 그 항목의 영문",
    ),
    (
        "each question's English, by id; a choice's options in the Korean order",
        "문항 id마다 그 문항의 영문(선택형의 options는 한국어와 같은 순서로)",
    ),
    // model/read/english.rs, load.rs: the English version of records
    ("the English version", "영문 버전"),
    ("the English text", "영문 텍스트"),
    ("an English form field", "신청서 항목 영문"),
    (
        "the English has a field the Korean does not",
        "한국어 버전에 없는 필드가 영문 버전에 있습니다.",
    ),
    (
        "no `{key}`: the Korean version has none",
        "`{key}` 없음(한국어 버전에 없는 필드입니다)",
    ),
    (
        "the English list and the Korean list differ in length",
        "영문 목록과 한국어 목록의 항목 수가 다릅니다.",
    ),
    (
        "{n} items, one per Korean item, in the same order",
        "항목 {n}개(한국어 항목마다 하나씩, 같은 순서)",
    ),
    (
        "no form field with this id",
        "이 id의 신청서 항목이 없습니다.",
    ),
    (
        "no `form:`: the posting takes no applications on the portal",
        "`form:` 없음(이 구인은 포털에서 지원을 받지 않습니다)",
    ),
    (
        "no `form:`: the scheme takes no applications on the portal",
        "`form:` 없음(이 지원사업은 포털에서 신청을 받지 않습니다)",
    ),
    (
        "one of the form's field ids: {ids}",
        "신청서 항목 id 중 하나: {ids}",
    ),
    (
        "the English form lacks fields of the Korean form",
        "영문 신청서에 한국어 신청서의 항목이 빠져 있습니다.",
    ),
    (
        "every field of the Korean form: {ids}",
        "한국어 신청서의 모든 항목: {ids}",
    ),
    ("an English question", "설문 문항 영문"),
    ("no question with this id", "이 id의 문항이 없습니다."),
    (
        "one of the survey's question ids: {ids}",
        "설문 문항 id 중 하나: {ids}",
    ),
    (
        "the English survey lacks questions of the Korean survey",
        "영문 설문에 한국어 설문의 문항이 빠져 있습니다.",
    ),
    (
        "every question of the Korean survey: {ids}",
        "한국어 설문의 모든 문항: {ids}",
    ),
    (
        "an English version without its Korean file",
        "한국어 파일이 없는 영문 버전입니다.",
    ),
    (
        "`{file}` beside it: the English translates a Korean record",
        "같은 폴더의 `{file}`(영문 버전은 한국어 레코드의 번역입니다)",
    ),
    // links.rs
    (
        "internal link to a page that does not exist",
        "없는 페이지로 가는 내부 링크입니다.",
    ),
    (
        "a path of a published page, written with a trailing slash, e.g. /programmes/pattern-cad-basic/",
        "게시된 페이지의 경로(끝에 / 포함), 예: /programmes/pattern-cad-basic/",
    ),
    (
        "internal link to a file the build does not make",
        "빌드가 만들지 않는 파일로 가는 내부 링크입니다.",
    ),
    (
        "the path of a file the build makes, e.g. /data/programmes.csv",
        "빌드가 만드는 파일의 경로, 예: /data/programmes.csv",
    ),
    (
        "link to a heading that does not exist on that page",
        "그 페이지에 없는 제목으로 가는 링크입니다.",
    ),
    (
        "one of the anchors of {page}: {anchors}",
        "{page}에 있는 제목 앵커 중 하나: {anchors}",
    ),
    ("{anchors} and {n} more", "{anchors} 외 {n}개"),
    (
        "link whose address starts with neither / nor https://: it is broken on the site",
        "주소가 `/`나 `https://`로 시작하지 않는 링크입니다. 이대로는 사이트에서 깨진 링크가 됩니다.",
    ),
    (
        "image whose address starts with neither / nor https://: it is not shown on the site",
        "주소가 `/`나 `https://`로 시작하지 않는 이미지입니다. 이대로는 사이트에 보이지 않습니다.",
    ),
    (
        "a site path starting with / (/how-to-book/), an anchor starting with #, or an address starting with https://, http://, mailto: or tel:",
        "`/`로 시작하는 사이트 안의 경로(/how-to-book/), `#`로 시작하는 앵커, 또는 https://, http://, mailto:, tel:로 시작하는 주소",
    ),
    (
        "link to a page that is not published",
        "게시되지 않은 페이지로 가는 링크입니다.",
    ),
    (
        "a published page (this link is on every page or every form)",
        "게시된 페이지(이 링크는 모든 페이지나 모든 양식에 나옵니다)",
    ),
    (
        "link to a draft: its text is shown without the link",
        "초안인 레코드로 가는 링크입니다. 링크 없이 글자만 보입니다.",
    ),
    (
        "{file}: `draft: true` (never published)",
        "{file}: `draft: true`(게시하지 않음)",
    ),
    (
        "link to a record published from {date}: its text is shown without the link until then",
        "{date}부터 게시되는 레코드로 가는 링크입니다. 그때까지 링크 없이 글자만 보입니다.",
    ),
    (
        "{file}: `publish_at: {date}` (the day it is published)",
        "{file}: `publish_at: {date}`(게시 시작일)",
    ),
    (
        "link to a record taken down on {date}: its text is shown without the link",
        "{date}에 게시가 끝난 레코드로 가는 링크입니다. 링크 없이 글자만 보입니다.",
    ),
    (
        "link to a record taken down on {date}: from that day its text is shown without the link",
        "{date}에 게시가 끝나는 레코드로 가는 링크입니다. 그날부터 링크 없이 글자만 보입니다.",
    ),
    (
        "{file}: `expire_at: {date}` (the day it is taken down); remove the link or point it at a published page",
        "{file}: `expire_at: {date}`(게시 종료일). 링크를 지우거나 게시 중인 페이지로 바꿔 주세요.",
    ),
    // warning.rs
    ("warning", "경고"),
    // load.rs
    (
        "cannot read the file: {error}",
        "파일을 읽을 수 없습니다: {error}",
    ),
    ("a UTF-8 text file", "UTF-8 텍스트 파일"),
    ("missing front matter", "머리말(front matter)이 없습니다."),
    (
        "the file to start with a `---` line, the YAML fields, then another `---` line",
        "`---` 줄, YAML 필드, 다시 `---` 줄로 시작하는 파일",
    ),
    (
        "YAML syntax error: lists and mappings are nested too deeply",
        "YAML 문법 오류: 목록과 묶음이 너무 깊게 겹쳐 있습니다.",
    ),
    (
        "at most 128 levels of lists and mappings inside each other",
        "목록과 묶음의 겹침은 128단계 이하",
    ),
    ("YAML syntax error: {problem}", "YAML 문법 오류: {problem}"),
    (
        "valid YAML (check indentation, colons and quotes)",
        "올바른 YAML(들여쓰기, 쌍점(:), 따옴표를 확인해 주세요)",
    ),
    ("the content folder is missing", "content 폴더가 없습니다."),
    (
        "a `content/` folder with site.yaml and the record folders",
        "site.yaml과 종류별 폴더가 든 `content/` 폴더",
    ),
    ("the site settings", "사이트 설정"),
    ("a term", "분류 항목"),
    ("a holiday", "공휴일"),
    ("the message templates", "메시지 서식"),
    ("a survey", "만족도 조사"),
    ("a facility", "지원시설"),
    ("a piece of equipment", "공용장비"),
    ("a programme", "교육"),
    ("a policy", "지원사업"),
    ("a job posting", "구인정보"),
    ("a notice", "공지사항"),
    ("a page", "페이지"),
    ("expected a list", "목록이어야 합니다."),
    (
        "a list, each item ({what}) starting with `- `",
        "목록(각 항목({what})은 `- `로 시작)",
    ),
    ("file without an extension", "확장자가 없는 파일입니다."),
    ("a `.{ext}` file", "`.{ext}` 파일"),
    (
        "wrong file type for {what}",
        "{what} 파일의 형식이 아닙니다.",
    ),
    ("duplicate id", "같은 id가 이미 있습니다."),
    (
        "`{id}`, already used by {file}",
        "`{id}`(이미 {file}에서 씀)",
    ),
    (
        "a file name not used by another record of this kind",
        "같은 종류의 다른 파일이 쓰지 않는 파일 이름",
    ),
    (
        "the file name is not a valid id",
        "파일 이름을 id로 쓸 수 없습니다.",
    ),
    (
        "unexpected file or folder in content/",
        "content/에 둘 수 없는 파일이나 폴더입니다.",
    ),
    ("only {names}", "다음만 둘 수 있음: {names}"),
    ("unknown taxonomy file", "알 수 없는 분류 파일입니다."),
    ("one of {names}", "다음 중 하나: {names}"),
    // model/messages.rs
    ("the messages of one event", "한 알림의 메시지"),
    ("the 문자 text", "문자 내용"),
    ("the e-mail subject line", "이메일 제목"),
    (
        "the e-mail to the employer, with the application placeholder in it",
        "구인 업체에 보낼 이메일 본문(지원서 자리표시자 포함)",
    ),
    (
        "an e-mail subject is one line",
        "이메일 제목은 한 줄이어야 합니다.",
    ),
    ("a subject without line breaks", "줄바꿈 없는 제목"),
    (
        "not a 알림톡 template code",
        "알림톡 템플릿 코드가 아닙니다.",
    ),
    (
        "the template code registered with the 알림톡 provider (letters, digits, - and _)",
        "알림톡 사업자에 등록한 템플릿 코드(영문자, 숫자, -, _)",
    ),
    (
        "placeholders of `{event}`: {names}",
        "`{event}`에서 쓸 수 있는 자리표시자: {names}",
    ),
    ("{problem} (at character {n})", "{n}번째 글자: {problem}"),
    (
        "unknown placeholder {placeholder} (at character {n}): messages never carry personal data",
        "알 수 없는 자리표시자 {placeholder}입니다({n}번째 글자). 메시지에는 개인정보를 넣지 않습니다.",
    ),
    (
        "unknown placeholder {placeholder} (at character {n})",
        "알 수 없는 자리표시자 {placeholder}입니다({n}번째 글자).",
    ),
    (
        "the message must contain {placeholder}",
        "메시지에 다음 자리표시자가 있어야 합니다: {placeholder}",
    ),
    (
        "a text with {placeholder} in it",
        "다음 자리표시자가 든 글: {placeholder}",
    ),
    (
        "the 문자 text is longer than an LMS can ever be",
        "문자 내용이 LMS 최대 길이보다 깁니다.",
    ),
    (
        "{n} bytes (EUC-KR) before the placeholders are filled",
        "자리표시자를 채우기 전 {n}바이트(EUC-KR)",
    ),
    (
        "at most {n} bytes (one Hangul syllable = 2 bytes)",
        "{n}바이트 이하(한글 한 글자 = 2바이트)",
    ),
    (
        "characters that 문자 cannot carry (phones would show ?)",
        "문자로 보낼 수 없는 글자가 있습니다(휴대전화에 ?로 나타남).",
    ),
    (
        "Hangul, Hanja, ASCII and the symbols of KS X 1001 (no emoji)",
        "한글, 한자, ASCII, KS X 1001 기호(이모지 제외)",
    ),
    // model/mod.rs
    ("industries", "업종"),
    ("districts", "자치구"),
    ("audiences", "대상"),
    ("stages", "성장단계"),
    ("areas", "지원분야"),
    ("industry", "업종"),
    ("district", "자치구"),
    ("audience", "대상"),
    ("stage", "성장단계"),
    ("support area", "지원분야"),
    // model/read/booking.rs
    ("the equipment's name", "장비 이름"),
    (
        "the id of the facility that holds it",
        "장비를 둔 지원시설의 id",
    ),
    ("a one-line summary", "한 줄 소개"),
    ("a specification", "규격"),
    ("what is measured", "규격 항목"),
    ("the value", "값"),
    ("a Markdown description", "Markdown으로 쓴 소개"),
    ("the booking rules", "예약 규칙"),
    (
        "time ranges such as \"09:00-18:00\"",
        "\"09:00-18:00\" 같은 시간 범위",
    ),
    ("opening ranges overlap", "운영 시간이 서로 겹칩니다."),
    (
        "ranges that do not overlap {range}",
        "다음 범위와 겹치지 않는 시간 범위: {range}",
    ),
    (
        "the range is not a whole number of slots",
        "시간 범위가 예약 단위로 나누어떨어지지 않습니다.",
    ),
    ("{range} ({n} minutes)", "{range}({n}분)"),
    (
        "a length divisible by slot_minutes ({step})",
        "slot_minutes({step}분)로 나누어떨어지는 길이",
    ),
    ("no opening hours", "운영 시간이 없습니다."),
    ("every day closed", "모든 요일 휴관"),
    (
        "opening hours on at least one weekday, e.g. `mon: [\"09:00-18:00\"]`",
        "한 요일 이상의 운영 시간, 예: `mon: [\"09:00-18:00\"]`",
    ),
    ("the slot length in minutes", "예약 단위(분)"),
    (
        "slot length out of range",
        "예약 단위가 허용 범위를 벗어났습니다.",
    ),
    ("15 to 480 minutes", "15~480분"),
    (
        "opening hours per weekday (mon..sun)",
        "요일별 운영 시간(mon~sun)",
    ),
    (
        "the most consecutive slots in one booking",
        "한 번에 예약할 수 있는 최대 예약 단위 수",
    ),
    ("out of range", "허용 범위를 벗어났습니다."),
    ("1 to 24 slots", "예약 단위 1~24개"),
    (
        "`max_slots` is less than `min_slots`",
        "`max_slots` 값이 `min_slots` 값보다 작습니다.",
    ),
    ("at least min_slots ({n})", "min_slots({n}) 이상"),
    ("at least 1 slot", "예약 단위 1개 이상"),
    (
        "how many days ahead booking opens",
        "며칠 앞까지 예약을 받는지",
    ),
    ("at most 365 days", "365일 이하"),
    (
        "`max_days_ahead` is less than `min_days_ahead`",
        "`max_days_ahead` 값이 `min_days_ahead` 값보다 작습니다.",
    ),
    ("at least min_days_ahead ({n})", "min_days_ahead({n}) 이상"),
    (
        "a quota of 0 hours blocks every booking",
        "주간 한도가 0시간이면 아무도 예약할 수 없습니다.",
    ),
    (
        "at least 1 hour, or leave it out for no quota",
        "1시간 이상(한도를 두지 않으려면 이 필드를 지워 주세요)",
    ),
    ("`instant` or `staff`", "`instant` 또는 `staff`"),
    ("who may book, as text", "예약할 수 있는 사람(글)"),
    ("at most 720 hours (30 days)", "720시간(30일) 이하"),
    ("dates", "날짜"),
    // model/read/forms.rs
    ("the survey's title", "조사 제목"),
    ("`equipment` or `programme`", "`equipment` 또는 `programme`"),
    ("a question", "질문"),
    ("the question's id", "질문 id"),
    ("the question text", "질문 내용"),
    (
        "`rating`, `choice` or `text`",
        "`rating`, `choice`, `text` 중 하나",
    ),
    ("scale out of range", "척도가 허용 범위를 벗어났습니다."),
    ("a number from 2 to 10", "2~10의 수"),
    ("unknown question type", "알 수 없는 질문 유형입니다."),
    (
        "one of: `rating` `choice` `text`",
        "다음 중 하나: `rating` `choice` `text`",
    ),
    ("choices", "선택지"),
    (
        "the same choice is listed twice",
        "같은 선택지가 두 번 있습니다.",
    ),
    ("each choice once", "선택지마다 한 번씩"),
    ("too few choices", "선택지가 너무 적습니다."),
    ("{n} choice(s)", "선택지 {n}개"),
    ("at least two choices", "선택지 2개 이상"),
    ("the field's id", "항목 id"),
    (
        "this field is already on every form",
        "모든 신청서에 이미 있는 항목입니다.",
    ),
    (
        "an id other than name, phone, business_name, email, consent, website",
        "name, phone, business_name, email, consent, website가 아닌 id",
    ),
    ("the field's label", "항목 이름"),
    (
        "`text`, `textarea`, `number`, `date`, `select` or `checkbox`",
        "`text`, `textarea`, `number`, `date`, `select`, `checkbox` 중 하나",
    ),
    (
        "`max` is less than `min`",
        "`max` 값이 `min` 값보다 작습니다.",
    ),
    ("at least min ({n})", "min({n}) 이상"),
    (
        "unknown field type (file uploads are not supported)",
        "알 수 없는 항목 유형입니다(파일 첨부는 지원하지 않습니다).",
    ),
    (
        "one of: `text` `textarea` `number` `date` `select` `checkbox`",
        "다음 중 하나: `text` `textarea` `number` `date` `select` `checkbox`",
    ),
    // model/read/mod.rs
    ("one of: {values}", "다음 중 하나: {values}"),
    ("unknown value", "알 수 없는 값입니다."),
    ("wrong type", "값의 종류가 맞지 않습니다."),
    (
        "image with a `{scheme}:` address is not allowed",
        "`{scheme}:` 주소의 이미지는 쓸 수 없습니다.",
    ),
    (
        "link with a `{scheme}:` address is not allowed",
        "`{scheme}:` 주소의 링크는 쓸 수 없습니다.",
    ),
    (
        "an address starting with https://, http://, mailto: or tel:, or a site path such as /programmes/",
        "https://, http://, mailto:, tel:로 시작하는 주소나 /programmes/ 같은 사이트 경로",
    ),
    (
        "the record expires before it is published",
        "게시 시작일보다 게시 종료일이 빠릅니다.",
    ),
    (
        "a date after publish_at ({date})",
        "publish_at({date})보다 늦은 날짜",
    ),
    (
        "`{until}` is before `{from}`",
        "`{until}` 날짜가 `{from}` 날짜보다 빠릅니다.",
    ),
    (
        "a date on or after {from} ({date})",
        "{from}({date}) 당일이나 그 뒤의 날짜",
    ),
    ("term ids", "분류 항목 id"),
    ("the list is empty", "목록이 비어 있습니다."),
    ("at least one term id", "분류 항목 id 1개 이상"),
    ("a {taxonomy} id", "{taxonomy} id"),
    ("not a {taxonomy} id", "{taxonomy} id가 아닙니다."),
    (
        "the id (not the name) of a term in content/taxonomies/{taxonomy}.yaml",
        "content/taxonomies/{taxonomy}.yaml에 있는 항목의 id(이름이 아님)",
    ),
    ("the term's id", "분류 항목 id"),
    ("the term's Korean name", "분류 항목의 한글 이름"),
    ("the holiday's date", "공휴일 날짜"),
    ("the holiday's name", "공휴일 이름"),
    (
        "an id not used by another item of this list",
        "이 목록의 다른 항목이 쓰지 않는 id",
    ),
    // model/read/records.rs
    ("the facility's name", "시설 이름"),
    (
        "`city`, `district` or `private`",
        "`city`, `district`, `private` 중 하나",
    ),
    ("who runs the facility", "시설을 운영하는 기관"),
    ("a postal address", "주소"),
    ("opening hours as text", "운영 시간(글)"),
    ("a phone number", "전화번호"),
    ("a location", "위치"),
    (
        "the latitude in degrees, e.g. 37.4568",
        "위도(도 단위), 예: 37.4568",
    ),
    (
        "the longitude in degrees, e.g. 126.8958",
        "경도(도 단위), 예: 126.8958",
    ),
    ("not in Seoul", "서울 밖의 위치입니다."),
    (
        "a point in Seoul: lat {la} to {lb}, lng {oa} to {ob} (lat is the smaller number)",
        "서울 안의 위치: 위도(lat) {la}~{lb}, 경도(lng) {oa}~{ob}(위도가 더 작은 수)",
    ),
    ("the programme's title", "교육 제목"),
    (
        "the id of the facility that runs it",
        "교육을 여는 지원시설의 id",
    ),
    ("a session", "교육 회차"),
    ("the session's date", "회차 날짜"),
    (
        "a time range such as \"10:00-13:00\"",
        "\"10:00-13:00\" 같은 시간 범위",
    ),
    (
        "the session is outside teaching hours",
        "교육 시간이 교육 가능 시간을 벗어났습니다.",
    ),
    ("a time inside {range}", "{range} 안의 시간"),
    ("the first day of applications", "모집 시작일"),
    ("the last day of applications", "모집 마감일"),
    (
        "applications close after the last session",
        "모집 마감일이 마지막 회차보다 늦습니다.",
    ),
    (
        "a date on or before the last session ({date})",
        "마지막 회차({date})와 같거나 빠른 날짜",
    ),
    (
        "the same session is listed twice",
        "같은 회차가 두 번 있습니다.",
    ),
    ("each session once", "회차마다 한 번씩"),
    ("the number of places", "모집 인원"),
    ("1 to 500 places", "1~500명"),
    ("missing the place", "교육 장소가 없습니다."),
    ("nothing", "없음"),
    (
        "`place:` where the programme happens (required unless format is online)",
        "교육 장소를 적은 `place:`(온라인 교육이 아니면 필수)",
    ),
    ("the policy's title", "지원사업 제목"),
    ("the agency that runs it", "사업을 운영하는 기관"),
    ("who it is for", "지원 대상"),
    ("the support amount as text", "지원 금액(글)"),
    ("conditions", "신청 자격"),
    ("documents to submit", "제출 서류"),
    (
        "the documents cannot be sent with the online form",
        "제출 서류를 온라인 신청서로는 보낼 수 없습니다.",
    ),
    (
        "`documents:` and `apply.form:`, but no `how_to_submit:`",
        "`documents:`와 `apply.form:`은 있고 `how_to_submit:`은 없음",
    ),
    (
        "`how_to_submit:` saying where and by when to send the documents (the form takes no files)",
        "제출 서류를 어디로, 언제까지 보내는지 적은 `how_to_submit:` (신청서로는 파일을 받지 않습니다)",
    ),
    (
        "how to apply (`url:` or `form:`)",
        "신청 방법(`url:` 또는 `form:`)",
    ),
    ("a form field", "신청서 항목"),
    (
        "both `url` and `form` are given",
        "`url`과 `form`을 함께 썼습니다.",
    ),
    ("url and form", "url과 form"),
    (
        "exactly one of `url:` (apply elsewhere) or `form:` (apply here)",
        "`url:`(다른 사이트에서 신청)과 `form:`(이 사이트에서 신청) 중 하나만",
    ),
    ("no way to apply", "신청 방법이 없습니다."),
    ("neither url nor form", "url도 form도 없음"),
    (
        "`url:` (apply elsewhere) or `form:` (apply on this site)",
        "`url:`(다른 사이트에서 신청) 또는 `form:`(이 사이트에서 신청)",
    ),
    ("the posting's title", "구인 제목"),
    ("the employer", "채용하는 업체"),
    ("the job", "모집 직무"),
    (
        "`full-time`, `contract`, `part-time` or `daily`",
        "`full-time`, `contract`, `part-time`, `daily` 중 하나",
    ),
    (
        "the wage as text, e.g. 월 280만 원",
        "임금(글), 예: 월 280만 원",
    ),
    ("working hours as text", "근무 시간(글)"),
    ("the date the posting opened", "게시일"),
    ("the last day to apply", "지원 마감일"),
    ("how to apply", "지원 방법"),
    (
        "how to apply on the portal (`facility:`, `form:`, optional `employer_email:`)",
        "포털에서 지원받는 방법(`facility:`, `form:`, 선택 항목 `employer_email:`)",
    ),
    (
        "the id of the facility that posted it",
        "구인정보를 올린 지원시설의 id",
    ),
    ("the form has no fields", "신청서에 항목이 없습니다."),
    ("an empty list", "빈 목록"),
    (
        "at least one field (name, phone, e-mail and consent are always asked)",
        "항목 1개 이상(이름, 휴대전화 번호, 이메일, 동의는 늘 묻습니다)",
    ),
    ("the notice's title", "공지 제목"),
    ("the notice's date", "공지 날짜"),
    ("the page's title", "페이지 제목"),
    // model/site.rs
    ("the portal's name", "포털 이름"),
    (
        "the channels this deployment sends messages by",
        "이 누리집이 안내를 보내는 방법",
    ),
    (
        "true or false: whether 문자 are sent",
        "true 또는 false: 문자를 보내는지",
    ),
    (
        "true or false: whether e-mails are sent",
        "true 또는 false: 이메일을 보내는지",
    ),
    ("a one-line description", "한 줄 설명"),
    (
        "the site's address, e.g. https://sbiz.example.kr",
        "사이트 주소, 예: https://sbiz.example.kr",
    ),
    (
        "the address must be an origin only",
        "주소에는 스킴과 호스트만 씁니다.",
    ),
    (
        "scheme and host without a path or trailing slash, e.g. https://sbiz.example.kr",
        "경로와 끝의 /가 없는 스킴과 호스트, 예: https://sbiz.example.kr",
    ),
    (
        "page size out of range",
        "한 페이지 항목 수가 허용 범위를 벗어났습니다.",
    ),
    ("a number from 1 to 100", "1~100의 수"),
    ("the operator's details", "운영 기관 정보"),
    ("the operating body's name", "운영 기관 이름"),
    ("a menu item", "메뉴 항목"),
    ("a headline figure", "주요 수치"),
    (
        "the figure as shown, e.g. 74,594곳",
        "화면에 보일 수치, 예: 74,594곳",
    ),
    ("what it counts", "무엇을 센 수치인지"),
    ("the booking settings", "예약 설정"),
    ("days to keep personal data", "개인정보 보유 기간(일)"),
    ("the no-show rule", "예약 부도 규칙"),
    (
        "the number of no-shows that blocks booking",
        "예약을 막는 예약 부도 횟수",
    ),
    (
        "the number of days no-shows are counted over",
        "예약 부도를 세는 기간(일)",
    ),
    (
        "the number of days booking is blocked",
        "예약을 막는 기간(일)",
    ),
    (
        "retention out of range",
        "보유 기간이 허용 범위를 벗어났습니다.",
    ),
    ("1 to 1825 days (5 years)", "1~1825일(5년)"),
    (
        "job applications must be kept for less time than bookings",
        "구인 지원서의 보유 기간은 예약의 보유 기간보다 짧아야 합니다.",
    ),
    (
        "1 to {n} days (less than `retention_days`)",
        "1~{n}일(`retention_days`보다 짧게)",
    ),
    ("the consent text", "동의 안내문"),
    (
        "a version label such as \"2026-11-01\"",
        "\"2026-11-01\" 같은 버전 표시",
    ),
    ("the purpose of collection", "수집·이용 목적"),
    ("the items collected", "수집 항목"),
    ("how long data is kept", "보유 기간"),
    (
        "the right to refuse and what follows",
        "동의를 거부할 권리와 거부할 때의 불이익",
    ),
    ("the reminder before use", "이용 전 알림"),
    (
        "how many days before the day of use (0 = that morning)",
        "이용일 며칠 전에 보내는지(0은 당일 아침)",
    ),
    (
        "the time it is sent, e.g. \"10:00\"",
        "보내는 시각, 예: \"10:00\"",
    ),
    ("reminder too early", "알림을 너무 일찍 보냅니다."),
    ("0 to 14 days before the day of use", "이용일 0~14일 전"),
    (
        "the consent text of job application forms",
        "구인 지원서의 동의 안내문",
    ),
    (
        "what is given to the employer, for what, and for how long ({company} names the employer)",
        "업체에 무엇을, 어떤 목적으로, 얼마 동안 제공하는지({company} 자리에는 업체 이름이 들어감)",
    ),
    ("the menu text", "메뉴 이름"),
    (
        "a site path such as /programmes/",
        "/programmes/ 같은 사이트 경로",
    ),
    (
        "menu links must be site paths",
        "메뉴 링크는 사이트 경로여야 합니다.",
    ),
    (
        "a path starting with a single /, such as /programmes/",
        "/ 하나로 시작하는 경로, 예: /programmes/",
    ),
    // render/assets.rs
    (
        "cannot read theme assets: {error}",
        "테마 자산을 읽을 수 없습니다: {error}",
    ),
    ("cannot read: {error}", "읽을 수 없습니다: {error}"),
    // render/mod.rs
    (
        "cannot write {file}: {error}",
        "{file} 파일을 쓸 수 없습니다: {error}",
    ),
    // render/templates.rs
    (
        "cannot read template: {error}",
        "템플릿을 읽을 수 없습니다: {error}",
    ),
    ("the theme has no templates", "테마에 템플릿이 없습니다."),
    (
        "cannot read the translation file: {error}",
        "번역 파일을 읽을 수 없습니다: {error}",
    ),
    (
        "translation file name without a known language",
        "번역 파일 이름에 언어가 없거나 지원하지 않는 언어입니다.",
    ),
    (
        "`<area>.ko.yaml` or `<area>.en.yaml`",
        "`<영역>.ko.yaml` 또는 `<영역>.en.yaml`",
    ),
    (
        "translation file is not a map of texts: {error}",
        "번역 파일이 `키: 문구` 형식이 아닙니다: {error}",
    ),
    ("`key: text` lines", "`키: 문구` 형식의 줄"),
    (
        "translation is not a single text",
        "번역 문구가 하나의 글이 아닙니다.",
    ),
    (
        "one line of text, or a `|` block",
        "한 줄의 문구, 또는 `|`로 시작하는 여러 줄 문구",
    ),
    (
        "translation key templates cannot use",
        "템플릿에서 쓸 수 없는 번역 키입니다.",
    ),
    (
        "lower-case letters, digits and `_`, starting with a letter",
        "영문 소문자로 시작하고 영문 소문자, 숫자, `_`만 쓴 키",
    ),
    (
        "translation key defined twice; first in {file}",
        "같은 번역 키가 두 번 있습니다. 처음 정의한 곳: {file}",
    ),
    (
        "translation missing for language {lang}; {file} has it",
        "이 언어({lang})의 번역이 없습니다. 다른 언어 파일에는 있습니다: {file}",
    ),
    (
        "every key in every language's file",
        "모든 언어 파일에 같은 키",
    ),
    (
        "the theme lacks a text the generator writes into pages",
        "생성기가 페이지에 쓰는 문구가 테마의 번역 파일에 없습니다.",
    ),
    ("`{key}:` with its text", "`{key}:`와 그 문구"),
    (
        "Tera templates under themes/<theme>/templates/",
        "themes/<테마>/templates/ 아래의 Tera 템플릿",
    ),
    ("template error: {error}", "템플릿 오류: {error}"),
    ("valid Tera 2 templates", "올바른 Tera 2 템플릿"),
    (
        "cannot render: {error}",
        "페이지를 만들 수 없습니다: {error}",
    ),
    // validate.rs
    (
        "no {what} has this id",
        "이 id를 쓰는 {what} 파일이 없습니다.",
    ),
    (
        "the name (id) of a file in content/{folder}/",
        "content/{folder}/ 안에 있는 파일 이름(id)",
    ),
    ("unknown {term}", "알 수 없는 {term}입니다."),
    (
        "one of the ids in content/taxonomies/{name}.yaml",
        "content/taxonomies/{name}.yaml에 있는 id 중 하나",
    ),
    ("survey", "만족도 조사"),
    (
        "the survey is for another kind of use",
        "다른 용도의 만족도 조사입니다.",
    ),
    (
        "a survey with `target: {target}`",
        "`target: {target}`인 만족도 조사",
    ),
    ("duplicate term id", "같은 분류 항목 id가 이미 있습니다."),
    (
        "an id used by no other term of this taxonomy",
        "이 분류의 다른 항목이 쓰지 않는 id",
    ),
    (
        "the same date is listed twice",
        "같은 날짜가 두 번 있습니다.",
    ),
    ("each date once", "날짜마다 한 번씩"),
    ("facility", "지원시설"),
    ("programme", "교육"),
    (
        "a job application form needs the job consent text",
        "구인 지원서에는 구인 지원 동의 안내문이 있어야 합니다.",
    ),
    (
        "no `job_consent:` in content/site.yaml",
        "content/site.yaml에 `job_consent:` 항목이 없음",
    ),
    (
        "`job_consent:` with purpose, items, retention, refusal and employer in site.yaml",
        "site.yaml의 `job_consent:`(목적, 항목, 보유 기간, 거부 권리, 제공받는 업체)",
    ),
    (
        "this page id is taken by a section of the site",
        "사이트의 한 영역이 이미 쓰는 페이지 id입니다.",
    ),
    (
        "a file name other than {names}",
        "다음이 아닌 파일 이름: {names}",
    ),
    (
        "not one of the 25 자치구 of Seoul",
        "서울 25개 자치구가 아닙니다.",
    ),
    (
        "one of the fixed district ids: jongno, jung, yongsan, … gangdong",
        "정해진 자치구 id 중 하나: jongno, jung, yongsan, … gangdong",
    ),
    (
        "wrong name for this district id",
        "이 자치구 id의 이름이 틀립니다.",
    ),
    ("districts are missing", "빠진 자치구가 있습니다."),
    (
        "{n} of 25 districts; missing {names}",
        "25개 중 {n}개 자치구, 빠진 자치구: {names}",
    ),
    ("all 25 자치구 of Seoul", "서울 25개 자치구 모두"),
    // yaml/read.rs
    ("wrong format", "형식이 맞지 않습니다."),
    ("text", "글"),
    ("empty text", "글이 비어 있습니다."),
    ("true or false", "true 또는 false"),
    ("a whole number from 0 to {max}", "0~{max}의 정수"),
    ("a whole number", "정수"),
    ("a whole number (0 or more)", "0 이상의 정수"),
    ("number out of range", "수가 허용 범위를 벗어났습니다."),
    ("not a number", "수가 아닙니다."),
    ("a decimal number", "소수"),
    ("a decimal number such as 37.5665", "37.5665 같은 소수"),
    (
        "a web address starting with https:// or http://",
        "https:// 또는 http://로 시작하는 웹 주소",
    ),
    ("not a web address", "웹 주소가 아닙니다."),
    (
        "an email address such as info@example.kr",
        "info@example.kr 같은 이메일 주소",
    ),
    ("not an email address", "이메일 주소가 아닙니다."),
    (
        "expected {what} written as `key: value` lines",
        "`이름: 값` 줄로 써야 합니다({what}).",
    ),
    ("{what} (a mapping)", "{what}(`이름: 값` 줄의 묶음)"),
    (
        "missing required field `{key}`",
        "필수 필드가 없습니다: `{key}`",
    ),
    (
        "required field `{key}` is empty",
        "필수 필드가 비어 있습니다: `{key}`",
    ),
    (
        "unknown field; the required field `{key}` is missing",
        "알 수 없는 필드입니다. 필수 필드가 없습니다: `{key}`",
    ),
    ("`{key}:` with {expected}", "`{key}:` 줄에 {expected}"),
    ("a list of {what}", "{what} 목록"),
    ("field names must be text", "필드 이름은 글이어야 합니다."),
    ("unknown field", "알 수 없는 필드입니다."),
    (
        "one of the fields of {what}: {fields}",
        "{what}의 필드 중 하나: {fields}",
    ),
    // Value formats of `sbiz_catalog` (found by `Text::lookup`).
    (
        "a calendar date written YYYY-MM-DD",
        "YYYY-MM-DD 형식의 날짜",
    ),
    (
        "year out of range 1900-2100",
        "연도가 1900~2100 범위를 벗어났습니다.",
    ),
    ("this date does not exist", "없는 날짜입니다."),
    (
        "a time written HH:MM (24-hour clock, 00:00 to 24:00)",
        "HH:MM 형식의 시각(24시간제, 00:00~24:00)",
    ),
    ("no such time", "없는 시각입니다."),
    (
        "a time range written HH:MM-HH:MM with the start before the end",
        "시작이 끝보다 빠른 HH:MM-HH:MM 형식의 시간 범위",
    ),
    (
        "the end is not after the start",
        "끝나는 시간이 시작 시간보다 늦지 않습니다.",
    ),
    (
        "an id of lowercase letters a-z, digits and hyphens (e.g. \"pattern-cad-basic\"), at most 64 characters",
        "영문 소문자 a-z, 숫자, 하이픈(-)으로 된 64자 이하의 id(예: \"pattern-cad-basic\")",
    ),
    (
        "a Korean phone number such as 02-2133-8761, 010-1234-5678 or 1588-1234",
        "02-2133-8761, 010-1234-5678, 1588-1234 같은 국내 전화번호",
    ),
    (
        "a `{` without its closing `}`",
        "`{`를 닫는 `}`가 없습니다.",
    ),
    (
        "a placeholder is a lowercase name in braces, like {code}",
        "자리표시자는 {code}처럼 중괄호 안에 영문 소문자 이름을 씁니다.",
    ),
    (
        "a `}` without its opening `{` (write `}}` for a brace)",
        "`}`를 여는 `{`가 없습니다(중괄호 자체는 `}}`로 씁니다).",
    ),
    // YAML syntax problems (found by `Text::lookup`; others are shown as the parser wrote them).
    (
        "mapping values are not allowed in this context",
        "이 자리에는 `이름: 값`을 쓸 수 없습니다(쌍점(:)이 든 값은 따옴표로 감싸 주세요).",
    ),
    (
        "block sequence entries are not allowed in this context",
        "이 자리에는 `- ` 목록 항목을 쓸 수 없습니다.",
    ),
    (
        "did not find expected key",
        "필드 이름이 있어야 할 자리에 다른 것이 있습니다(들여쓰기를 확인해 주세요).",
    ),
    (
        "did not find expected '-' indicator",
        "목록 항목의 `- `가 있어야 합니다(들여쓰기를 확인해 주세요).",
    ),
    ("could not find expected ':'", "쌍점(:)이 없습니다."),
    (
        "did not find expected node content",
        "값이 있어야 할 자리에 값이 없습니다.",
    ),
    (
        "did not find expected ',' or ']'",
        "쉼표(,)나 `]`가 있어야 합니다.",
    ),
    (
        "did not find expected ',' or '}'",
        "쉼표(,)나 `}`가 있어야 합니다.",
    ),
    (
        "found character that cannot start any token",
        "값의 맨 앞에 올 수 없는 글자가 있습니다(따옴표로 감싸 주세요).",
    ),
    (
        "found a tab character that violates indentation",
        "들여쓰기에 탭 문자가 있습니다(공백으로 들여써 주세요).",
    ),
    (
        "found a tab character where an indentation space is expected",
        "들여쓰기에 탭 문자가 있습니다(공백으로 들여써 주세요).",
    ),
    (
        "found unexpected end of stream",
        "따옴표나 괄호가 닫히지 않은 채 파일이 끝났습니다.",
    ),
    (
        "found unknown escape character",
        "알 수 없는 이스케이프 문자(\\ 다음 글자)가 있습니다.",
    ),
    (
        "found unexpected ':'",
        "예상하지 못한 자리에 쌍점(:)이 있습니다.",
    ),
    ("found undefined alias", "정의되지 않은 별칭(*)을 썼습니다."),
    (
        "did not find expected comment or line break",
        "값 뒤에는 주석이나 줄바꿈만 올 수 있습니다.",
    ),
    (
        "the same key is written twice: {key}",
        "같은 필드를 두 번 썼습니다: {key}",
    ),
    (
        "the same field is written twice; first on line {line}",
        "같은 필드를 두 번 썼습니다(처음 쓴 곳: {line}번째 줄).",
    ),
    (
        "each field once: keep one of the two `{key}:` lines",
        "필드마다 한 번만: 두 `{key}:` 줄 중 하나만 남겨 주세요",
    ),
    // The command line: results and errors.
    ("expected ko or en", "ko 또는 en이어야 합니다."),
    (
        "built {pages} pages from {records} records in {ms} ms into {out} ({rendered} rendered, {unchanged} unchanged)",
        "레코드 {records}개로 페이지 {pages}개를 {out}에 빌드했습니다({ms}ms, 새로 만든 페이지 {rendered}개, 그대로 둔 페이지 {unchanged}개).",
    ),
    (
        "ok: {records} records, {pages} pages checked in {ms} ms",
        "이상 없음: 레코드 {records}개, 페이지 {pages}개를 검사했습니다({ms}ms).",
    ),
    (
        "backed up {db} ({reservations} reservations, {applications} applications, {bytes} bytes) to {dest}",
        "백업했습니다: {db} → {dest}(예약 {reservations}건, 신청 {applications}건, {bytes}바이트)",
    ),
    ("backup failed: {error}", "백업하지 못했습니다: {error}"),
    (
        "restored {from} ({reservations} reservations, {applications} applications) as {db}",
        "복원했습니다: {from} → {db}(예약 {reservations}건, 신청 {applications}건)",
    ),
    (
        "the previous database is kept as {path}",
        "이전 데이터베이스는 {path}에 남겨 두었습니다.",
    ),
    ("restore failed: {error}", "복원하지 못했습니다: {error}"),
    ("created {path}", "{path} 파일을 만들었습니다."),
    (
        "wrote {n} records into {out}",
        "레코드 {n}개를 {out}에 썼습니다.",
    ),
    (
        "unknown kind `{kind}` (did you mean `{name}`?); expected one of: {names}",
        "알 수 없는 종류입니다: `{kind}`(혹시 `{name}`인가요?). 다음 중 하나를 써 주세요: {names}",
    ),
    (
        "unknown kind `{kind}`; expected one of: {names}",
        "알 수 없는 종류입니다: `{kind}`. 다음 중 하나를 써 주세요: {names}",
    ),
    (
        "`{id}` is not a valid id: expected {expected}",
        "id로 쓸 수 없습니다: `{id}`. 올바른 값: {expected}",
    ),
    (
        "{path} already exists; nothing was written",
        "{path} 파일이 이미 있어 아무것도 쓰지 않았습니다.",
    ),
    (
        "cannot create {path}: {error}",
        "{path} 폴더를 만들 수 없습니다: {error}",
    ),
    (
        "cannot write {path}: {error}",
        "{path} 파일을 쓸 수 없습니다: {error}",
    ),
    ("{path} does not exist", "{path} 파일이 없습니다."),
    (
        "{path} already exists; choose a new name",
        "{path} 파일이 이미 있습니다. 다른 이름을 정해 주세요.",
    ),
    (
        "{path} is in use (its write-ahead log exists): stop the server first, or pass --force after a crash",
        "{path} 파일이 사용 중입니다(미리 쓰기 로그가 있음). 먼저 서버를 멈춰 주세요. 비정상 종료 뒤라면 --force를 붙입니다.",
    ),
    (
        "unknown command: `{name}`",
        "알 수 없는 명령입니다: `{name}`",
    ),
    (
        "unknown option or argument: `{name}`",
        "알 수 없는 옵션이나 인수입니다: `{name}`",
    ),
    (
        "invalid value `{value}` for {arg}: {why}",
        "{arg}에 쓸 수 없는 값입니다: `{value}`. {why}",
    ),
    (
        "required arguments are missing: {names}",
        "필요한 인수가 없습니다: {names}",
    ),
    ("a command is missing", "명령이 없습니다."),
    (
        "For more information, try '--help'.",
        "자세한 내용은 '--help'로 확인해 주세요.",
    ),
    // `sbiz serve`: the terminal and the error overlay in the browser.
    (
        "build error: showing the last good build",
        "빌드 오류: 마지막으로 성공한 빌드를 보여 주고 있습니다.",
    ),
    ("build error", "빌드 오류"),
    (
        "The site could not be built, and there is no earlier build to show.",
        "사이트를 빌드하지 못했고, 보여 줄 이전 빌드도 없습니다.",
    ),
    (
        "Fix the errors below and save the file: this page reloads by itself.",
        "아래 오류를 고쳐 파일을 저장하면 이 페이지가 저절로 새로 고쳐집니다.",
    ),
    (
        "The site was built: these warnings do not stop it, but check them.",
        "사이트는 빌드했습니다. 경고가 빌드를 막지는 않지만 확인해 주세요.",
    ),
    ("Show the warnings", "경고 내용 보기"),
    (
        "built {pages} pages in {ms} ms ({rendered} rendered, {unchanged} unchanged)",
        "페이지 {pages}개를 빌드했습니다({ms}ms, 새로 만든 페이지 {rendered}개, 그대로 둔 페이지 {unchanged}개).",
    ),
    (
        "the booking API keeps its previous catalog: {error}",
        "예약 API는 이전 카탈로그를 계속 씁니다: {error}",
    ),
    (
        "the booking API answers with plain pages: {error}",
        "예약 API가 사이트 레이아웃 없이 기본 페이지로 응답합니다: {error}",
    ),
    (
        "cannot open the booking database {path}: {error}",
        "예약 데이터베이스를 열 수 없습니다({path}): {error}",
    ),
    (
        "cannot watch for changes: {error}",
        "파일 변경을 감시할 수 없습니다: {error}",
    ),
    (
        "serving http://{addr}/ (Ctrl+C to stop)",
        "http://{addr}/ 에서 사이트를 보여 줍니다(끝내려면 Ctrl+C).",
    ),
    (
        "no good build in {path} to serve: fix the errors above",
        "{path}에 보여 줄 성공한 빌드가 없습니다. 위의 오류를 고쳐 주세요.",
    ),
    (
        "the content has errors; serving the last good build",
        "콘텐츠에 오류가 있어 마지막으로 성공한 빌드를 보여 줍니다.",
    ),
    (
        "serving http://{addr}/ in production mode (API limit per client: {burst} at once, {rate}/s)",
        "운영 모드로 http://{addr}/ 에서 사이트를 보여 줍니다(클라이언트별 API 한도: 한 번에 {burst}건, 초당 {rate}건).",
    ),
    (
        "cannot start the server: {error}",
        "서버를 시작할 수 없습니다: {error}",
    ),
    (
        "person keys not moved to the server secret: {error}",
        "개인 식별 키를 서버 비밀 키로 옮기지 못했습니다: {error}",
    ),
    (
        "note: SBIZ_STAFF_TOKENS is not set, so the admin page accepts no token (see README)",
        "참고: SBIZ_STAFF_TOKENS를 설정하지 않아 관리 페이지에 로그인할 수 없습니다(README 참고).",
    ),
    (
        "purge failed: {error}",
        "보유 기간이 지난 개인정보를 지우지 못했습니다: {error}",
    ),
    (
        "cannot listen on {addr}: {error}",
        "{addr}에서 연결을 받을 수 없습니다: {error}",
    ),
    ("server error: {error}", "서버 오류: {error}"),
    (
        "messaging: {error}",
        "문자·이메일 발송 설정에 문제가 있습니다: {error}",
    ),
    (
        "sending messages failed; retrying in {seconds} s: {error}",
        "안내 문자·이메일을 보내지 못했습니다. {seconds}초 뒤에 다시 보냅니다: {error}",
    ),
    // Explanations in the `sbiz new` scaffolds (found by `Text::lookup`).
    (
        "every field is explained; see docs/content-model.en.md.",
        "필드마다 설명을 달았습니다. 자세한 내용은 docs/content-model.md를 참고해 주세요.",
    ),
    ("required", "필수"),
    (
        "required: city | district | private",
        "필수: city(시) | district(자치구) | private(민간)",
    ),
    ("required: who runs it", "필수: 운영 기관"),
    (
        "required: one of the 25 자치구 ids (taxonomies/districts.yaml)",
        "필수: 25개 자치구 id 중 하나(taxonomies/districts.yaml)",
    ),
    ("required, as text", "필수, 글로 적음"),
    ("optional", "선택"),
    ("optional: date opened", "선택: 개소일"),
    (
        "optional: for the 카카오맵 and 네이버 지도 links; must lie in Seoul",
        "선택: 카카오맵·네이버 지도 길찾기 링크에 씀. 서울 안이어야 함",
    ),
    ("latitude (the smaller number)", "위도(더 작은 수)"),
    ("longitude", "경도"),
    (
        "optional: the nearest subway station",
        "선택: 가까운 지하철역",
    ),
    ("required: industry ids", "필수: 업종 id"),
    ("optional: support area ids", "선택: 지원분야 id"),
    ("optional: audience ids", "선택: 대상 id"),
    ("required, Markdown", "필수, Markdown"),
    ("optional: never published", "선택: 게시하지 않음"),
    (
        "optional: hidden before this day",
        "선택: 이날 전에는 보이지 않음",
    ),
    (
        "optional: hidden from this day on",
        "선택: 이날부터 보이지 않음",
    ),
    (
        "required: id of a file in content/facilities/",
        "필수: content/facilities/에 있는 파일의 id",
    ),
    (
        "required: 15-480, divides every opening range",
        "필수: 예약 단위(분), 15~480. 운영 시간 범위마다 이 값으로 나누어떨어져야 함",
    ),
    (
        "required: a missing weekday is closed",
        "필수: 적지 않은 요일은 휴관",
    ),
    ("optional, default 1", "선택, 기본값 1"),
    (
        "required: 1-24 consecutive slots",
        "필수: 연속 예약 단위 1~24개",
    ),
    ("required: at most 365", "필수: 365 이하"),
    (
        "optional: most hours per person per week",
        "선택: 한 사람이 한 주에 예약할 수 있는 최대 시간",
    ),
    (
        "required: instant | staff",
        "필수: instant(즉시 확정) | staff(담당자 승인)",
    ),
    (
        "optional: a programme the person must have completed",
        "선택: 먼저 수료해야 하는 교육",
    ),
    (
        "optional: per slot, 0 = 무료",
        "선택: 예약 단위당 이용료, 0 = 무료",
    ),
    ("optional, default 24", "선택, 기본값 24"),
    (
        "optional: dates, in addition to holidays.yaml",
        "선택: holidays.yaml 외에 휴관하는 날짜",
    ),
    (
        "optional: a survey with target: equipment",
        "선택: target: equipment인 만족도 조사",
    ),
    (
        "required: at least one, between 07:00 and 22:00",
        "필수: 1회 이상, 07:00~22:00 사이",
    ),
    (
        "required: the session's day, as YYYY-MM-DD",
        "필수: 회차 날짜(YYYY-MM-DD 형식)",
    ),
    (
        "required: not before apply_from, not after the last session",
        "필수: apply_from보다 빠르지 않고 마지막 회차보다 늦지 않게",
    ),
    ("required: 1-500", "필수: 1~500"),
    ("optional: 0 = no waitlist", "선택: 0 = 대기자 없음"),
    (
        "optional: offline | online | hybrid",
        "선택: offline(현장) | online(온라인) | hybrid(병행)",
    ),
    ("required unless online", "온라인 교육이 아니면 필수"),
    (
        "optional: a survey with target: programme",
        "선택: target: programme인 만족도 조사",
    ),
    (
        "where and by when to send the documents (required with form)",
        "제출 서류를 어디로, 언제까지 보내는지(form이 있으면 필수)",
    ),
    (
        "optional: only for these districts",
        "선택: 이 자치구에만 해당할 때",
    ),
    (
        "required: exactly one of url or form",
        "필수: url과 form 중 하나만",
    ),
    (
        "the application page on another site (https:// or http://); required unless form is given, e.g. https://www.sbiz24.kr/",
        "다른 사이트의 신청 페이지 주소(https:// 또는 http://로 시작). form이 없으면 필수, 예: https://www.sbiz24.kr/",
    ),
    (
        "name, phone, business name and consent are always asked",
        "이름, 휴대전화 번호, 상호, 동의는 늘 묻습니다",
    ),
    (
        "text | textarea | number | date | select | checkbox",
        "text(한 줄) | textarea(여러 줄) | number(수) | date(날짜) | select(선택) | checkbox(체크)",
    ),
    ("required: an industry id", "필수: 업종 id"),
    ("required: a 자치구 id", "필수: 자치구 id"),
    (
        "optional: audience ids (without it, job-seekers when the site has that audience)",
        "선택: 대상 id(적지 않으면 job-seekers, 사이트에 이 대상이 있을 때)",
    ),
    (
        "required: full-time | contract | part-time | daily",
        "필수: full-time(정규직) | contract(계약직) | part-time(시간제) | daily(일용직)",
    ),
    (
        "required: not before posted",
        "필수: posted보다 빠르지 않게",
    ),
    ("optional, Markdown", "선택, Markdown"),
    (
        "optional: take applications on the portal (구인정보 바로 신청)",
        "선택: 포털에서 지원을 받음(구인정보 바로 신청)",
    ),
    (
        "the facility that posted it: its staff process the applications",
        "구인정보를 올린 지원시설: 그 시설 담당자가 지원서를 처리함",
    ),
    (
        "optional: each application is also sent to the employer",
        "선택: 지원서를 업체에도 보냄",
    ),
    (
        "name, phone, e-mail and consent are always asked",
        "이름, 휴대전화 번호, 이메일, 동의는 늘 묻습니다",
    ),
    (
        "see docs/content-model.en.md.",
        "자세한 내용은 docs/content-model.md를 참고해 주세요.",
    ),
    ("optional: show first", "선택: 맨 위에 보임"),
    (
        "published at /{id}/; see docs/content-model.en.md.",
        "/{id}/에 게시됩니다. 자세한 내용은 docs/content-model.md를 참고해 주세요.",
    ),
    ("optional: list in the footer", "선택: 바닥글에 링크를 보임"),
    (
        "optional: position in the footer and site map",
        "선택: 바닥글과 사이트맵에서의 순서",
    ),
    (
        "required: equipment | programme",
        "필수: equipment(공용장비) | programme(교육)",
    ),
    (
        "rating | choice | text",
        "rating(점수) | choice(선택) | text(글)",
    ),
    ("rating: 2-10", "rating일 때: 2~10"),
    // The command line: help (found by `Text::lookup` in main.rs `localize`).
    ("Usage:", "사용법:"),
    ("Commands", "명령"),
    ("COMMAND", "명령"),
    ("Arguments", "인수"),
    ("Options", "옵션"),
    (
        "서울 소공인 지원 포털: builds content/ into the static site in public/",
        "서울 소공인 지원 포털: content/를 public/의 정적 사이트로 빌드합니다",
    ),
    (
        "The site folder holding content/ and themes/",
        "content/와 themes/가 있는 사이트 폴더",
    ),
    (
        "Language of the messages: ko or en (default: SBIZ_LANG, then the locale, then Korean)",
        "메시지 언어: ko 또는 en(기본값: SBIZ_LANG, 그다음 로케일, 그다음 한국어)",
    ),
    ("Print help", "도움말을 보여 줍니다"),
    ("Print the version", "버전을 보여 줍니다"),
    (
        "Build the site into public/ (nothing is written when the content has errors)",
        "사이트를 public/에 빌드합니다(콘텐츠에 오류가 있으면 아무것도 쓰지 않습니다)",
    ),
    (
        "Treat this Korea-time moment as \"now\" (e.g. 2026-11-28 or 2026-11-28T09:00), for statuses and publish dates; default: the system clock",
        "모집 상태와 게시일을 판단할 \"현재\" 시각(한국 시간, 예: 2026-11-28 또는 2026-11-28T09:00). 기본값: 시스템 시계",
    ),
    (
        "Theme folder name under themes/",
        "themes/ 아래의 테마 폴더 이름",
    ),
    (
        "Folder holding the themes (default: <root>/themes)",
        "테마가 있는 폴더(기본값: <root>/themes)",
    ),
    (
        "Output folder (default: <root>/public)",
        "출력 폴더(기본값: <root>/public)",
    ),
    (
        "Check content, links and templates without writing anything",
        "아무것도 쓰지 않고 콘텐츠, 링크, 템플릿을 검사합니다",
    ),
    (
        "Build, serve on http://127.0.0.1:8080, and rebuild on every change",
        "빌드한 사이트를 http://127.0.0.1:8080에서 보여 주고, 바뀔 때마다 다시 빌드합니다",
    ),
    (
        "Address to listen on (the default, this computer only)",
        "접속을 받을 주소(기본값은 이 컴퓨터에서만 접속할 수 있는 주소)",
    ),
    ("Port to listen on", "접속을 받을 포트 번호"),
    (
        "Folder for the booking database (default: <root>/data)",
        "예약 데이터베이스 폴더(기본값: <root>/data)",
    ),
    (
        "Self-hosted production mode: build once (SIGHUP rebuilds), no live reload, security headers, rate limit on /api/ (see docs/operator-guide.md)",
        "자체 운영 모드: 한 번 빌드(SIGHUP으로 다시 빌드), 자동 새로 고침 없음, 보안 헤더, /api/ 요청 한도(docs/operator-guide.md 참고)",
    ),
    (
        "With --production: the /api/ budget per client, BURST/PER_SECOND",
        "--production과 함께: 클라이언트별 /api/ 한도, 한 번에/초당(BURST/PER_SECOND)",
    ),
    (
        "With --production: behind a reverse proxy on this machine, take the client address from X-Forwarded-For",
        "--production과 함께: 이 컴퓨터의 리버스 프록시 뒤에서 X-Forwarded-For로 클라이언트 주소를 읽습니다",
    ),
    (
        "Copy the booking database while the server runs (a consistent snapshot)",
        "서버가 실행 중일 때 예약 데이터베이스를 복사합니다(일관된 스냅숏)",
    ),
    (
        "The backup file to write (must not exist)",
        "만들 백업 파일(이미 있으면 안 됩니다)",
    ),
    (
        "Folder of the booking database (default: <root>/data)",
        "예약 데이터베이스 폴더(기본값: <root>/data)",
    ),
    (
        "Put a backup back as the booking database (stop the server first)",
        "백업을 예약 데이터베이스로 되돌립니다(먼저 서버를 멈춰 주세요)",
    ),
    ("The backup file to restore", "복원할 백업 파일"),
    (
        "Restore even though the database's write-ahead log is not empty (after a crash; never while a server runs)",
        "데이터베이스의 미리 쓰기 로그(WAL)가 비어 있지 않아도 복원합니다(비정상 종료 뒤에만, 서버 실행 중에는 쓰지 마세요)",
    ),
    (
        "Write a new content file with every field present and explained",
        "모든 필드와 설명이 들어 있는 새 콘텐츠 파일을 만듭니다",
    ),
    (
        "facility, equipment, programme, policy, job, notice, page or survey",
        "facility(지원시설), equipment(공용장비), programme(교육), policy(지원사업), job(구인정보), notice(공지사항), page(페이지), survey(만족도 조사) 중 하나",
    ),
    (
        "The record's id (its file name): lowercase letters, digits and hyphens",
        "레코드 id(파일 이름): 영문 소문자, 숫자, 하이픈(-)",
    ),
    (
        "Write a synthetic site with N records in total, for benchmarks",
        "성능 측정용으로 레코드 N개짜리 합성 사이트를 만듭니다",
    ),
    (
        "Folder to create (content/ and themes/ are written inside)",
        "만들 폴더(안에 content/와 themes/를 씁니다)",
    ),
    (
        "Records in total, spread over every kind",
        "모든 종류에 나누어 만들 레코드 수",
    ),
    (
        "Also write the same records as a Hugo site here, for comparison",
        "비교용으로 같은 레코드를 Hugo 사이트로도 여기에 씁니다",
    ),
    ("default", "기본값"),
    (
        "too long for the form's consent box",
        "양식의 동의 상자에 넣기에 너무 깁니다",
    ),
    ("{n} characters", "{n}자"),
    (
        "one line of at most {max} characters; the details belong on the privacy page that `consent.notice` names",
        "{max}자 이하의 한 줄(자세한 내용은 `consent.notice`가 가리키는 개인정보처리방침 페이지에 적어 주세요)",
    ),
    (
        "not the address of a page of the site",
        "이 사이트의 페이지 주소가 아닙니다",
    ),
    (
        "the address of a page in content/pages/, e.g. \"/privacy/\"",
        "content/pages/에 있는 페이지의 주소(예: \"/privacy/\")",
    ),
    ("no page at this address", "이 주소의 페이지가 없습니다"),
    (
        "a page of content/pages/ (`{url}` is content/pages/{id}.md)",
        "content/pages/의 페이지(`{url}` 주소는 content/pages/{id}.md)",
    ),
    (
        "the page has no English version",
        "이 페이지의 영어판이 없습니다",
    ),
    (
        "content/pages/{id}.en.md, which the English edition's forms link to",
        "영어판 양식이 연결하는 content/pages/{id}.en.md",
    ),
];
