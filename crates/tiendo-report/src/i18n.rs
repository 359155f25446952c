//! Every fixed label of the review in Vietnamese and English.
//!
//! One table keyed by a stable name: templates read `labels.<key>`, so an overriding template uses the same keys.
//! A test checks that every key has both languages.

use std::collections::BTreeMap;

use tiendo_core::{ActivityStatus, Lang};

use crate::model::{ProvinceMap, Status};

/// (key, Vietnamese, English)
const LABELS: &[(&str, &str, &str)] = &[
    ("lang_code", "vi", "en"),
    ("cover", "Trang bìa", "Cover"),
    ("programme", "Chương trình", "Programme"),
    ("plan", "Kế hoạch", "Plan"),
    ("org_unit", "Địa bàn", "Area"),
    ("window", "Giai đoạn đánh giá", "Review window"),
    ("programme_period", "Thời kỳ của chương trình", "Programme period"),
    ("as_of", "Số liệu tính đến ngày", "Data as of"),
    ("generator", "Công cụ lập báo cáo", "Produced with"),
    ("inputs", "Dấu vân tay dữ liệu đầu vào (SHA-256)", "Input digests (SHA-256)"),
    ("file", "Tệp", "File"),
    ("digest_withheld", "không công bố", "withheld"),
    (
        "digests_withheld_note",
        "Dấu vân tay của các tệp dữ liệu không được công bố: báo cáo này ẩn một số số liệu, và dấu vân tay của tệp dữ \
         liệu cho phép người đọc thử từng giá trị đoán cho đến khi khớp.",
        "The data files' digests are withheld: this review hides counts, and a data file's digest would let a reader \
         test guesses of them until one matches.",
    ),
    ("contents", "Mục lục", "Contents"),
    ("summary", "Tóm tắt", "Executive summary"),
    ("status_overview", "Chỉ số theo tình trạng", "Indicators by status"),
    ("headlines", "Kết quả chính so với cùng kỳ năm trước", "Headline results compared with the same period last year"),
    ("headline", "Chỉ số", "Result"),
    ("period", "Kỳ", "Period"),
    ("same_period_last_year", "Cùng kỳ năm trước", "Same period last year"),
    ("change", "Tăng/giảm", "Change"),
    ("findings", "Nhận định chính", "Key findings"),
    ("indicator_table", "Bảng chỉ số và chỉ tiêu", "Indicator table"),
    ("code", "Mã", "Code"),
    ("indicator", "Chỉ số", "Indicator"),
    ("unit", "Đơn vị", "Unit"),
    ("baseline", "Giá trị cơ sở", "Baseline"),
    ("target", "Chỉ tiêu (mục tiêu)", "Target"),
    ("latest", "Kết quả mới nhất", "Latest"),
    ("percent_of_target", "% so với mục tiêu", "% of target"),
    ("equal_not_over", "bằng chỉ tiêu, chưa vượt", "equal to the target, not over it"),
    ("gap_to_target", "Khoảng cách đến chỉ tiêu", "Gap to the target"),
    ("equal_not_under", "bằng chỉ tiêu, chưa thấp hơn", "equal to the target, not under it"),
    ("progress_from_baseline", "% chặng đường từ mức cơ sở", "% of the way from the baseline"),
    ("status", "Tình trạng", "Status"),
    ("source", "Nguồn", "Source"),
    ("sources", "Nguồn", "Sources"),
    ("agency", "Cơ quan chủ trì", "Responsible agency"),
    ("indicators", "Chi tiết từng chỉ số", "Indicators in detail"),
    ("work_area", "Lĩnh vực", "Work area"),
    ("definition", "Định nghĩa", "Definition"),
    ("series", "Số liệu theo kỳ", "Values by period"),
    ("value", "Giá trị", "Value"),
    ("provisional", "số liệu sơ bộ", "provisional"),
    ("note", "Ghi chú", "Note"),
    ("comment", "Nhận xét", "Comment"),
    ("chart", "Biểu đồ", "Chart"),
    ("year", "Năm", "Year"),
    ("mid_term", "Giữa kỳ", "Mid-term"),
    ("series_legend", "Kết quả", "Result"),
    ("no_chart", "Không có số liệu định lượng để vẽ biểu đồ.", "No quantitative values to chart."),
    ("provinces", "So sánh giữa các tỉnh, thành phố", "Provincial comparison"),
    ("province", "Tỉnh, thành phố", "Province"),
    ("rank", "Hạng", "Rank"),
    ("merged_from", "Gộp số liệu của", "Includes data of"),
    ("disaggregations", "Số liệu phân tổ", "Disaggregations"),
    ("total", "Tổng số báo cáo", "Reported total"),
    ("sum_of_options", "Cộng các nhóm", "Sum of groups"),
    ("plugins", "Chỉ số tính bằng phần mở rộng (plugin)", "Plugin metrics"),
    ("plugin", "Phần mở rộng", "Plugin"),
    ("metric", "Chỉ số", "Metric"),
    ("plugin_failures", "Phần mở rộng bị lỗi", "Plugin failures"),
    ("error", "Lỗi", "Error"),
    ("message", "Thông báo", "Message"),
    ("affected_metrics", "Chỉ số không tính được", "Metrics not computed"),
    ("no_plugins", "Dự án không dùng phần mở rộng nào.", "The project uses no plugins."),
    ("activities", "Tiến độ kế hoạch hoạt động", "Activity-plan progress"),
    ("activity", "Hoạt động", "Activity"),
    ("deadline", "Thời hạn", "Deadline"),
    ("overdue", "quá hạn", "overdue"),
    ("no_activities", "Không có kế hoạch hoạt động.", "No activity plans."),
    ("data_quality", "Chất lượng số liệu", "Data quality"),
    ("completeness", "Mức độ đầy đủ của báo cáo theo địa bàn", "Reporting completeness by area"),
    (
        "completeness_intro",
        "Một báo cáo được tính là đã nhận khi số liệu của báo cáo có trong dữ liệu của báo cáo đánh giá này (do đơn vị \
         báo cáo nhập, hoặc đọc từ văn bản công bố số liệu của chính cơ quan báo cáo); báo cáo đã gửi cơ quan nhưng \
         không có trong dữ liệu được tính là thiếu.",
        "A report counts as received when its figures are in this review's data (entered by the reporting units, or \
         read in documents that publish the reporting body's own figures); a report sent to the agency that is not in \
         the data counts as missing.",
    ),
    ("data_set", "Bộ số liệu", "Data set"),
    ("expected", "Số báo cáo phải nộp", "Reports expected"),
    ("received", "Đã nhận", "Received"),
    ("on_time", "Đúng hạn", "On time"),
    ("completeness_rate", "Tỷ lệ đầy đủ", "Completeness"),
    ("violations", "Vi phạm quy tắc kiểm tra", "Validation rule violations"),
    ("rule", "Quy tắc", "Rule"),
    ("left_side", "Vế trái", "Left side"),
    ("right_side", "Vế phải", "Right side"),
    ("severity", "Mức độ", "Severity"),
    ("no_violations", "Không có vi phạm.", "No violations."),
    ("disagreements", "Số liệu mâu thuẫn nhau", "Data that contradict each other"),
    ("rows_left_out", "Dòng số liệu bị loại", "Data rows left out"),
    (
        "unread",
        "Số liệu có trong dữ liệu nhưng báo cáo không sử dụng",
        "Figures in the data that this review does not use",
    ),
    (
        "unread_intro",
        "Dữ liệu có các số liệu dưới đây cho các kỳ nêu, nhưng không giá trị nào của báo cáo này dựa trên chúng: \
         không chỉ số nào đọc chúng (thường do định nghĩa khác), hoặc chỉ số đọc chúng không có giá trị cho các kỳ \
         đó (thiếu vế kia của tỷ lệ): không bảng hay biểu đồ chỉ số nào thể hiện chúng.",
        "The data hold the figures below for the periods named, but no value of this review rests on them: no \
         indicator reads them (often because they are counted on another definition), or the indicators that read \
         them have no value for those periods (the other part of a ratio is missing): no indicator's table or chart \
         shows them.",
    ),
    (
        "rows_left_out_banner",
        "{count} dòng số liệu không đọc được và không có trong số liệu nào của báo cáo này (xem mục Chất lượng số liệu): \
         các tổng số, mức thay đổi và đánh giá liên quan có thể thiếu chúng.",
        "{count} data row(s) could not be read and are in no figure of this review (see Data quality): the totals, \
         changes and statuses they belong to may lack them.",
    ),
    (
        "rows_left_out_intro",
        "Các dòng dưới đây bị loại khi đọc số liệu; sửa chúng (lệnh tiendo check liệt kê từng lỗi) rồi lập lại báo cáo.",
        "These rows were left out when the data were read; fix them (tiendo check lists each error) and make the \
         review again.",
    ),
    ("rows_left_out_more", "và {count} dòng khác", "and {count} more"),
    (
        "disagreements_intro",
        "Các số liệu dưới đây không thể cùng đúng. Bài đánh giá dùng chúng theo cách phần phương pháp mô tả và không \
         trích giá trị nào ở đây; mỗi cảnh báo giữ nguyên văn tiếng Anh như lệnh tiendo eval in ra, kèm dòng số liệu \
         mà nó chỉ tới.",
        "The figures below cannot all be right. The review uses them as the methodology describes and quotes no \
         value here; each warning is worded as the command tiendo eval prints it, with the data row it points to.",
    ),
    (
        "unchecked_checks",
        "{count} lần kiểm tra theo quy tắc không thực hiện được (một giá trị thiếu một phần kỳ, phân tổ hoặc đơn vị, \
         hoặc sẽ so sánh số liệu giả lập với số liệu thật): kết luận trên chỉ áp dụng cho các lần kiểm tra đã thực \
         hiện; lệnh tiendo eval liệt kê chúng (W354, W333).",
        "{count} checks of validation rules could not be made (a value lacks part of its period, breakdown or \
         units, or would compare synthetic with real figures): the finding above is about the checks made; the \
         command tiendo eval lists them (W354, W333).",
    ),
    (
        "unchecked_check",
        "1 lần kiểm tra theo quy tắc không thực hiện được (một giá trị thiếu một phần kỳ, phân tổ hoặc đơn vị, hoặc sẽ \
         so sánh số liệu giả lập với số liệu thật): kết luận trên chỉ áp dụng cho các lần kiểm tra đã thực hiện; lệnh \
         tiendo eval liệt kê nó (W354, W333).",
        "1 check of a validation rule could not be made (a value lacks part of its period, breakdown or units, or \
         would compare synthetic with real figures): the finding above is about the checks made; the command tiendo \
         eval lists it (W354, W333).",
    ),
    (
        "findings_at_suppressed",
        "Kết quả kiểm tra tại các ô bị ẩn không được liệt kê, dù quy tắc có được tuân thủ hay không, vì giá trị hai vế \
         sẽ làm lộ số bị ẩn; lệnh tiendo eval --show-suppressed liệt kê chúng để dùng nội bộ.",
        "Findings at suppressed values are not listed, whether or not the rule holds there, since the values of \
         both sides would reveal the suppressed count; the command tiendo eval --show-suppressed lists them for \
         internal use.",
    ),
    ("cautions", "Lưu ý khi đọc số liệu", "Cautions on the basis of counts"),
    ("small_counts_range", "từ 1 đến {high}", "from 1 to {high}"),
    ("small_counts_one", "bằng 1", "of 1"),
    (
        "confidentiality_none",
        "Không số nạn nhân nào bị ẩn: ngưỡng bảo mật là {threshold}, nên mọi số đều được công bố. Số vụ án và số đối \
         tượng đã được công bố chính thức không bị ẩn.",
        "No count of victims is suppressed: the confidentiality threshold is {threshold}, so every count is \
         published. Case and suspect counts already published nationally are not suppressed.",
    ),
    (
        "confidentiality_unmarked",
        "Không số nào bị ẩn: danh mục của dự án không đánh dấu số liệu nào là nhạy cảm (sensitive = true), nên \
         các số nạn nhân nhỏ được công bố như đã báo cáo.",
        "Nothing is suppressed: the project's catalogue marks no count sensitive (sensitive = true), so small \
         counts of victims are published as reported.",
    ),
    ("confidentiality", "Bảo mật thông tin nạn nhân", "Confidentiality of victims' data"),
    (
        "confidentiality_text",
        "Số nạn nhân {small} trong một ô được ẩn (ký hiệu «ẩn»), cùng các ô khác cần ẩn để \
         tổng số không làm lộ các ô đó. Ô ẩn khác với số 0 và khác với «không có số liệu». Số vụ án và số đối tượng \
         đã được công bố chính thức không bị ẩn. Số ô bị ẩn trong các số liệu mà báo cáo này trình bày: {suppressed}.",
        "Counts of victims {small} in a cell are suppressed (shown as \"suppressed\"), \
         together with the cells that would otherwise reveal them through a total. A suppressed cell differs from \
         zero and from \"no data\". Case and suspect counts already published nationally are not suppressed. Suppressed \
         cells among the figures this review shows: {suppressed}.",
    ),
    (
        "audit_protected",
        "Kiểm tra toàn bộ số liệu được công bố (các tổng theo đơn vị hành chính, kể cả đơn vị trước sáp nhập, theo \
         kỳ con và theo phân tổ) cho thấy {guarantee}. {primary} ô bị ẩn vì là số nhỏ và {secondary} ô khác bị ẩn để các tổng không làm lộ chúng (đếm trên mọi \
         đơn vị và kỳ của lần đánh giá); báo cáo không cho biết ô nào thuộc loại nào.",
        "An audit of everything published (totals over org units including merged provinces' predecessors, over \
         sub-periods and over breakdowns) found that {guarantee}. Cells suppressed as small counts: {primary}; suppressed besides so that totals do not reveal \
         them: {secondary} (counted over every unit and period evaluated); the review does not say which is which.",
    ),
    (
        "audit_unprotected",
        "Kiểm tra toàn bộ số liệu được công bố cho thấy {unprotected} số bị ẩn vẫn có thể bị thu hẹp {limit}: ngưỡng hoặc các bảng không cho phép bảo vệ chúng. {primary} ô bị ẩn vì là số nhỏ \
         và {secondary} ô khác bị ẩn để các tổng không làm lộ chúng.",
        "An audit of everything published found {unprotected} suppressed counts that a reader can still narrow to \
         {limit}: the threshold or the tables leave no way to protect them. Cells \
         suppressed as small counts: {primary}; suppressed besides so that totals do not reveal them: {secondary}.",
    ),
    // `{guarantee}` and `{limit}` of the audit's verdicts: the protection range plus one, or, where the threshold
    // already tells a reader that a count suppressed as small is `{low}` to `{high}`, that range (methodology §7).
    (
        "audit_guarantee",
        "không thể thu hẹp bất kỳ số bị ẩn nào xuống dưới {values} giá trị khả dĩ",
        "no suppressed count can be narrowed to fewer than {values} possible values",
    ),
    (
        "audit_guarantee_capped",
        "không thể thu hẹp một số bị ẩn vì là số nhỏ hơn những gì ngưỡng đã cho biết (từ {low} đến {high}), và không \
         thể thu hẹp bất kỳ số bị ẩn nào khác xuống dưới {values} giá trị khả dĩ",
        "no count suppressed as small can be narrowed beyond what the threshold already tells ({low} to {high}), and \
         no other suppressed count to fewer than {values} possible values",
    ),
    ("audit_limit", "xuống dưới {values} giá trị khả dĩ", "fewer than {values} possible values"),
    (
        "audit_limit_capped",
        "xuống dưới {values} giá trị khả dĩ (với số bị ẩn vì là số nhỏ: hẹp hơn khoảng từ {low} đến {high} mà ngưỡng \
         đã cho biết)",
        "fewer than {values} possible values (a count suppressed as small: to less than the {low} to {high} the \
         threshold already tells)",
    ),
    ("audit_nothing", "Không có số nào cần ẩn.", "No count needed suppressing."),
    (
        "audit_unshown",
        "Việc kiểm tra cũng xét {unshown} số nhỏ mà báo cáo không trình bày (của các đơn vị cấp dưới như huyện, xã, \
         của một kỳ mà đơn vị chỉ báo cáo từng phần, phần còn lại của một phân tổ không đủ tổng số như nạn nhân \
         không ghi giới tính, phần tổng số của một đơn vị vượt quá tổng các đơn vị trực thuộc, hoặc hiệu của hai số mà một chỉ số hay một quy tắc kiểm tra liên kết), để các tổng đã công bố không làm lộ \
         chúng.",
        "Small counts no output shows (of the units below those the review shows, such as districts and communes, \
         of a period a unit reported only in parts, the rest of a breakdown short of its total, such as victims of \
         unrecorded sex, the rest of a unit's own total beyond its units' sum, or a difference of two counts that an indicator or a validation rule relates) that the audit also covered, so that \
         the published totals do not reveal them either: {unshown}.",
    ),
    (
        "audit_matched_ratios",
        "Ngoài ra, {matched_ratios} giá trị tỷ lệ (cùng tử số, mẫu số của chúng) bị ẩn vì một đơn vị không được tính \
         vào tỷ lệ có số bị ẩn hoặc số nhỏ: tổng đã công bố trừ đi mẫu số sẽ làm lộ số đó.",
        "Ratio values hidden besides, with their numerators and denominators, because a unit left out of the ratio has \
         a suppressed or small count that the published total less the denominator would reveal: {matched_ratios}.",
    ),
    (
        "audit_withheld",
        "Việc kiểm tra số liệu được công bố đã dùng hết giới hạn tính toán trước khi xét xong mọi bảng: {withheld} \
         ô liên quan đến các bảng chưa xét xong bị giữ lại hoàn toàn (hiển thị là \"đã ẩn\") để không số nào được \
         công bố có thể làm lộ một số nhỏ. {primary} ô bị ẩn vì là số nhỏ và {secondary} ô khác bị ẩn để các tổng \
         không làm lộ chúng.",
        "The audit of everything published ran out of its work budget before it had settled every table: {withheld} \
         cells related to the tables it could not settle are withheld altogether (shown as \"suppressed\"), so that \
         no published figure can reveal a small count. Cells suppressed as small counts: {primary}; suppressed \
         besides so that totals do not reveal them: {secondary}.",
    ),
    ("methodology", "Phụ lục phương pháp", "Methodology annex"),
    (
        "method_status",
        "Tình trạng của mỗi chỉ số là kết quả đánh giá giá trị mới nhất trong giai đoạn so với chỉ tiêu, theo đúng phép \
         so sánh của văn bản nguồn («trên 90%» là > 90, không phải ≥ 90). «Chưa đủ số liệu để đánh giá» («Chưa có số liệu» \
         khi không có giá trị nào): trong giai đoạn không có giá trị nào, hoặc không giá trị nào đủ để kết luận (chưa đầy đủ, giả lập, chỉ một phần kỳ của kế hoạch \
         mà không chứng minh được, chưa đủ hai năm để xét xu hướng); «Không đánh giá»: chỉ số không có chỉ tiêu định lượng. Ô «ẩn» và ô «không có số liệu» không \
         bao giờ được tính là số 0.",
        "Each indicator's status is the assessment of its latest value in the review window against its target, using \
         the comparator of the source document (\"over 90%\" is > 90, not ≥ 90). \"Insufficient data\" (\"no data\" where there is no \
         value at all): the window holds no value, or none that can settle the target (partial, synthetic, a part of the plan's period that proves \
         nothing, fewer than two years for a trend); \"not assessed\": the indicator has no quantitative target. Suppressed and missing cells are never \
         counted as zero.",
    ),
    (
        "method_percent",
        "Tỷ lệ phần trăm được tính từ tổng tử số và tổng mẫu số, không lấy trung bình các tỷ lệ. «% so với mục tiêu» \
         = kết quả mới nhất / mục tiêu × 100.",
        "Percentages are computed from summed numerators and denominators, never by averaging percentages. \"% of \
         target\" = latest value / target × 100.",
    ),
    (
        "method_succession",
        "Từ ngày 01/07/2025, 63 tỉnh, thành phố được sắp xếp thành 34 (Nghị quyết 202/2025/QH15). Số liệu của các \
         tỉnh cũ được cộng vào tỉnh mới kế thừa để so sánh được theo thời gian; đơn vị báo cáo gốc vẫn được giữ.",
        "On 1 Jul 2025 the 63 provinces became 34 (Resolution 202/2025/QH15). Data of the old provinces is rolled up \
         into their successors so that periods compare; the reporting unit as entered is kept.",
    ),
    ("method_notes", "Ghi chú phương pháp của dự án", "Project methodology notes"),
    ("bibliography", "Tài liệu tham khảo", "Bibliography"),
    ("uncertain", "Chưa được xác nhận", "Not confirmed"),
    ("glossary", "Phụ lục: Giải thích từ ngữ và chữ viết tắt", "Annex: Glossary of terms and abbreviations"),
    ("term", "Thuật ngữ", "Term"),
    ("other_language", "Tiếng Anh", "Vietnamese"),
    ("meaning", "Giải thích", "Meaning"),
    ("data_gaps", "Chỉ tiêu chưa có số liệu: cần thu thập", "Targets without data: what is needed"),
    (
        "data_gaps_intro",
        "Các chỉ tiêu dưới đây chưa có số liệu trong giai đoạn đánh giá, hoặc chưa có số liệu của kỳ chỉ tiêu đã kết \
         thúc. Bảng nêu số liệu còn thiếu, cơ quan chủ trì cung cấp và biểu mẫu thu thập; tiendo không điền số liệu \
         thay.",
        "The targets below have no data in the review window, or none for their period, which has ended. The table \
         says what is missing, which agency should supply it and on which form; tiendo never fills a gap.",
    ),
    ("missing_data", "Số liệu còn thiếu", "Missing data"),
    ("reporting_form", "Biểu mẫu thu thập", "Reporting form"),
    ("no_form", "chưa có biểu mẫu nào thu thập", "no form collects it yet"),
    // Said where no target lacks reported data; a value that reports could not give (a denominator of 0, a blend of
    // synthetic and real figures, a value beyond its limit) is not missing data, and its indicator says why (round
    // 66, found by a verifier: "Every target has data" beside a status of "insufficient data").
    (
        "no_data_gaps",
        "Không chỉ tiêu nào thiếu số liệu báo cáo; nếu số liệu đã báo cáo không cho ra giá trị, mục của chỉ số nêu lý do.",
        "No target lacks reported data; where the reports give no value, the indicator's entry says why.",
    ),
    ("issuer", "Cơ quan ban hành", "Issued by"),
    ("document_number", "Số", "Number"),
    ("document_date", "Ngày", "Date"),
    ("document_status", "Tình trạng văn bản", "Document status"),
    ("document_draft", "DỰ THẢO", "DRAFT"),
    ("document_final", "Chính thức", "Final"),
    ("illustrative", "Văn bản minh họa, không phải đánh giá", "Illustrative text, not an assessment"),
    ("defined_in", "Văn bản quy định chỉ số", "Indicator defined in"),
    (
        "uncertain_detail",
        "một số thông tin lấy từ nguồn này chưa được đối chiếu với toàn văn",
        "some facts taken from this source were not checked against its full text",
    ),
    ("value_suppressed", "ẩn", "suppressed"),
    ("value_missing", "không có số liệu", "no data"),
    ("value_undefined", "không có giá trị (mẫu số bằng 0)", "no value (denominator 0)"),
    ("value_missing_for", "không có số liệu", "no data for"),
    ("milestone", "Chỉ tiêu kỳ trước", "Earlier target"),
    ("milestone_met", "đạt", "met"),
    ("milestone_missed", "không đạt", "missed"),
    ("latest_elsewhere", "số liệu gần nhất", "latest"),
    ("latest_part", "số liệu gần nhất của một phần năm", "latest part of a year"),
    ("none", "—", "—"),
    (
        "footer",
        "Báo cáo được lập tự động từ danh mục chỉ tiêu và số liệu của dự án.",
        "Generated from the project's catalogue and data.",
    ),
    ("map_before_2025", "{n} tỉnh, thành phố (trước 01/07/2025)", "{n} provinces (before 1 Jul 2025)"),
    ("map_from_2025", "{n} tỉnh, thành phố (từ 01/07/2025)", "{n} provinces (from 1 Jul 2025)"),
    ("map_unchanged", "{n} tỉnh, thành phố", "{n} provinces"),
    ("status_achieved", "Đạt", "Achieved"),
    ("status_on_track", "Đúng tiến độ", "On track"),
    ("status_at_risk", "Cần đẩy nhanh", "At risk"),
    ("status_off_track", "Chệch hướng", "Off track"),
    ("status_not_achieved", "Chưa đạt", "Not achieved"),
    ("status_no_data", "Chưa đủ số liệu để đánh giá", "Insufficient data"),
    ("status_no_value", "Chưa có số liệu", "No data"),
    ("status_suppressed", "Chưa đủ số liệu để đánh giá (số liệu bị ẩn)", "Insufficient data (value suppressed)"),
    ("status_not_assessed", "Không đánh giá", "Not assessed"),
    ("activity_planned", "Chưa triển khai", "Planned"),
    ("activity_in_progress", "Đang thực hiện", "In progress"),
    ("activity_done", "Hoàn thành", "Done"),
    ("activity_cancelled", "Hủy bỏ", "Cancelled"),
    ("activity_unknown", "Chưa có thông tin về tình trạng", "No status recorded"),
    ("severity_error", "lỗi", "error"),
    ("severity_warning", "cảnh báo", "warning"),
    ("severity_info", "thông tin", "info"),
    // The first words of `synthetic_wholly`, for outputs that have room for one line only (`tiendo eval`'s table).
    ("synthetic_wholly_title", "DỮ LIỆU GIẢ LẬP – KHÔNG PHẢI SỐ LIỆU THẬT", "SYNTHETIC DATA – NOT REAL FIGURES"),
    (
        "synthetic_wholly",
        "DỮ LIỆU GIẢ LẬP – KHÔNG PHẢI SỐ LIỆU THẬT. Toàn bộ số liệu trong các tệp dữ liệu của báo cáo này do máy tạo \
         ra để minh họa (chỉ tiêu và giá trị cơ sở là của các kế hoạch, không so sánh được với số liệu giả lập); mọi \
         giá trị, tình trạng và nhận định trong báo cáo đều không phản ánh thực tế và không được trích dẫn.",
        "SYNTHETIC DATA – NOT REAL FIGURES. Every figure of this review's data files was generated to illustrate the \
         tool (the targets and baselines are the plans' own, and do not compare with generated figures); no value, \
         status or finding in it describes reality, and none may be cited.",
    ),
    (
        "synthetic_partly",
        "Báo cáo có dữ liệu giả lập (do máy tạo ra, không phải số liệu thật). Các giá trị giả lập được đánh dấu †, \
         được vẽ riêng (nét đứt, màu xám) và không tình trạng hay kết quả chính nào dựa trên chúng. Dữ liệu giả lập:",
        "This review contains synthetic data (generated, not real figures). Synthetic values are marked †, drawn \
         apart (dashed, grey) and no status or headline rests on them. Synthetic figures:",
    ),
    ("synthetic_marker", "†", "†"),
    ("synthetic_footnote", "† dữ liệu giả lập, không phải số liệu thật", "† synthetic data, not a real figure"),
    ("synthetic_legend", "Dữ liệu giả lập (không phải số liệu thật)", "Synthetic (not real data)"),
    ("partial_legend", "Số liệu chưa đầy đủ (không nối vào đường)", "Partial figure (not joined to the line)"),
    (
        "other_basis_legend",
        "Không phải số liệu đơn vị tự báo cáo (đơn vị cấp dưới), không dùng để đánh giá",
        "Not the unit's own report (units below), not used for the status",
    ),
    (
        "partial_or_other_basis_legend",
        "Số liệu chưa đầy đủ hoặc không phải số liệu đơn vị tự báo cáo",
        "Partial figure or not the unit's own report",
    ),
    // A value that rests, wholly or in part, on a source of kind `estimate` (docs/methodology.md, section 2).
    ("estimate_marker", "(ước tính)", "(estimate)"),
    ("estimate_word", "ước tính", "estimate"),
    // A value that rests, wholly or in part, on a source of kind `derived` (docs/methodology.md, section 2).
    ("derived_marker", "(suy ra)", "(derived)"),
    ("derived_word", "suy ra", "derived"),
    ("synthetic_word", "giả lập", "synthetic"),
    ("not_confirmed_word", "chưa được xác nhận", "not confirmed"),
    (
        "derived_footnote",
        "(suy ra) số liệu không do văn bản nào công bố mà được tính từ số liệu đã công bố (ví dụ: số năm sau trừ mức \
         tăng đã công bố); ghi chú của dòng số liệu nêu cách tính",
        "(derived) no document prints the figure: it is computed from published ones (such as a year's figure less \
         its published increase); the data row's note says how",
    ),
    ("beyond_limit", "vượt giới hạn {limit} của chỉ số", "beyond the limit of {limit}"),
    (
        "change_beyond_limit",
        "một trong hai giá trị vượt giới hạn {limit} của chỉ số",
        "one of the two values is beyond the limit of {limit}",
    ),
    (
        "estimate_footnote",
        "(ước tính) số liệu là ước tính toàn bộ hoặc một phần: có nguồn chỉ đưa ra số gần đúng, không phải số đếm",
        "(estimate) the figure is wholly or partly an estimate: a source behind it gives approximations, not counts",
    ),
    ("source_kind_official", "số liệu chính thức", "official figures"),
    ("source_kind_estimate", "số liệu ước tính", "estimates"),
    (
        "source_kind_derived",
        "số liệu do người biên soạn tính từ số liệu đã công bố",
        "figures computed by the editors from published ones",
    ),
    ("source_kind_synthetic", "dữ liệu giả lập, không phải số liệu thật", "synthetic data, not real figures"),
    // The browser and the printed page (issue 13, items 5-7).
    ("skip_to_content", "Chuyển đến nội dung chính", "Skip to the main content"),
    ("page", "Trang", "Page"),
    ("scroll_cue", "← Vuốt ngang để xem toàn bộ biểu đồ →", "← Scroll sideways to see the whole chart →"),
    ("scroll_cue_table", "← Vuốt ngang để xem toàn bộ bảng →", "← Scroll sideways to see the whole table →"),
    ("running_synthetic_wholly", "DỮ LIỆU GIẢ LẬP – không phải số liệu thật", "SYNTHETIC DATA – not real figures"),
    ("running_synthetic_partly", "Có dữ liệu giả lập (†)", "Contains synthetic data (†)"),
    ("values_by_period", "Số liệu theo kỳ", "Values by period"),
    ("chart_desc_values", "Giá trị theo kỳ", "Values by period"),
    ("chart_desc_no_values", "Chưa có giá trị nào để vẽ.", "No value to draw yet."),
    ("chart_desc_units", "Số địa phương", "Units compared"),
    ("chart_desc_highest", "Cao nhất", "Highest"),
    ("chart_desc_lowest", "Thấp nhất", "Lowest"),
    // Where some values are suppressed, the extremes are those of the values shown (a hidden count may be lower, a
    // hidden rate higher; round 46, found by a review helper: "Lowest: Nam Dinh 11" beside hidden 8, 9 and 10).
    ("chart_desc_highest_shown", "Cao nhất trong các giá trị được công bố", "Highest shown"),
    ("chart_desc_lowest_shown", "Thấp nhất trong các giá trị được công bố", "Lowest shown"),
    ("chart_desc_table_below", "Bảng dưới biểu đồ ghi mọi giá trị.", "The table below the chart gives every value."),
    // The structure of a Vietnamese review and its narrative (issue 13, items 1-2): the headings of a "báo cáo sơ
    // kết / tổng kết" (results, shortcomings, causes, lessons, tasks, recommendations) and their English
    // counterparts.
    ("results", "Kết quả đạt được", "Results achieved"),
    ("limitations", "Tồn tại, hạn chế", "Shortcomings and limitations"),
    ("causes", "Nguyên nhân", "Causes"),
    ("lessons", "Bài học kinh nghiệm", "Lessons learned"),
    ("tasks", "Nhiệm vụ, giải pháp", "Tasks and solutions ahead"),
    ("recommendations", "Kiến nghị, đề xuất", "Recommendations and proposals"),
    ("annexes", "Phụ lục", "Annexes"),
    // `{writer}` is replaced by `narrative_writer`, followed by the issuer of `[review]` when the project names it.
    (
        "narrative_placeholder",
        "[Chưa viết] Phần nhận định này do {writer} viết.",
        "[Not yet written] This assessment is to be written by {writer}.",
    ),
    ("narrative_writer", "cơ quan chủ trì sơ kết, tổng kết", "the reviewing agency"),
    ("narrative_partial", "số liệu chưa đầy đủ", "partial data"),
    ("narrative_estimate", "ước tính", "estimate"),
    ("narrative_derived", "suy ra", "derived"),
    ("narrative_complete", "đủ số liệu của các đơn vị phải báo cáo", "every expected unit reported"),
    ("narrative_synthetic", "dữ liệu giả lập", "synthetic data"),
    ("not_comparable", "không so sánh được", "not comparable"),
    (
        "change_basis",
        "số liệu tự báo cáo so với tổng của các đơn vị cấp dưới",
        "a unit's own report against a sum of the units below it",
    ),
    ("change_kind", "dữ liệu giả lập so với dữ liệu thật", "synthetic against real data"),
    ("change_area", "địa giới của đơn vị thay đổi giữa hai kỳ", "the unit's area changed between the two periods"),
    (
        "change_break",
        "chuỗi số liệu gián đoạn: cách đếm thay đổi giữa hai kỳ",
        "a break in the series: the count's definition changed between the two periods",
    ),
    ("change_contested", "các báo cáo mâu thuẫn nhau", "reports disagree"),
    ("percentage_points", "điểm phần trăm", "percentage points"),
    ("scale_levels", "bậc của thang đo", "level(s) of the scale"),
    ("running_illustrative", "Văn bản minh họa, không phải đánh giá", "Illustrative text, not an assessment"),
];

/// The label `key` in `lang`. An unknown key returns the key itself, so a typo shows in the output rather than
/// crashing; the tests check that every key the code asks for exists. The result lives as long as `key`, so a
/// `'static` key gives a `'static` label.
pub fn label(key: &str, lang: Lang) -> &str {
    LABELS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, vi, en)| match lang {
            Lang::Vi => *vi,
            Lang::En => *en,
        })
        .unwrap_or(key)
}

/// Every label in `lang`, for the template context.
pub fn labels(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    LABELS
        .iter()
        .map(|(key, vi, en)| {
            (
                *key,
                match lang {
                    Lang::Vi => *vi,
                    Lang::En => *en,
                },
            )
        })
        .collect()
}

/// The glossary annex: (term in Vietnamese, term in English, explanation in Vietnamese, explanation in English). The
/// words for indicator and target follow the 138/CP plans (review critique D10), the justice-chain words the
/// procuracy's and courts' statistics (issue 12, item 3), the status words Vietnamese review documents.
pub const GLOSSARY: &[(&str, &str, &str, &str)] = &[
    (
        "Chỉ số",
        "Indicator",
        "Đại lượng được đo, ví dụ tỷ lệ giải quyết tố giác.",
        "What is measured, e.g. the resolution rate of denunciations.",
    ),
    (
        "Chỉ tiêu (mục tiêu)",
        "Target",
        "Mức chỉ số phải đạt theo văn bản, ví dụ trên 90% năm 2025.",
        "The level an indicator must reach under a document, e.g. over 90% in 2025.",
    ),
    ("Đạt", "Achieved", "Kết quả mới nhất đáp ứng chỉ tiêu.", "The latest value meets the target."),
    (
        "Cần đẩy nhanh",
        "At risk",
        "Tiến độ chưa đủ để đạt chỉ tiêu đúng hạn.",
        "Progress is too slow to meet the target in time.",
    ),
    (
        "Chệch hướng",
        "Off track",
        "Kết quả đi ngược hoặc còn xa chỉ tiêu khi chỉ tiêu chưa đến hạn đo: vẫn có thể đạt nếu xu hướng thay đổi.",
        "The value moves away from, or falls far short of, a target whose period has no value yet: it may still be met.",
    ),
    (
        "Chưa đạt",
        "Not achieved",
        "Giá trị của chính kỳ chỉ tiêu không đáp ứng chỉ tiêu.",
        "The value of the target's own period misses the target.",
    ),
    (
        "Chưa đủ số liệu để đánh giá",
        "Insufficient data",
        "Không có giá trị nào trong giai đoạn đánh giá, hoặc không giá trị nào đủ để kết luận về chỉ tiêu.",
        "No value in the review window, or none that can settle the target.",
    ),
    ("Chưa có số liệu", "No data", "Không có giá trị nào trong giai đoạn đánh giá.", "No value in the review window."),
    (
        "Đối tượng",
        "Suspects",
        "Người bị phát hiện trong các vụ mua bán người (nghi phạm); không đồng nghĩa với bị can hay bị cáo.",
        "Persons detected in trafficking cases; not the same as accused persons or defendants.",
    ),
    ("Bị can", "Accused", "Người đã bị khởi tố bị can.", "Persons formally charged."),
    ("Bị cáo", "Defendants", "Người bị đưa ra xét xử.", "Persons brought to trial."),
    (
        "BCĐ 138/CP",
        "Steering Committee 138/CP",
        "Ban Chỉ đạo 138/CP của Chính phủ về phòng, chống tội phạm.",
        "The Government's Steering Committee 138/CP on crime prevention.",
    ),
    ("VKSNDTC", "SPP", "Viện kiểm sát nhân dân tối cao.", "Supreme People's Procuracy."),
    ("TANDTC", "SPC", "Tòa án nhân dân tối cao.", "Supreme People's Court."),
    (
        "Cùng kỳ năm trước",
        "Same period last year",
        "Cùng khoảng thời gian của năm liền trước.",
        "The same months of the year before.",
    ),
    ("Dự thảo", "Draft", "Văn bản chưa được ban hành chính thức.", "A document not yet issued as final."),
];

pub fn status(status: Status, lang: Lang) -> &'static str {
    let key = match status {
        Status::Achieved => "status_achieved",
        Status::OnTrack => "status_on_track",
        Status::AtRisk => "status_at_risk",
        Status::OffTrack => "status_off_track",
        Status::NotAchieved => "status_not_achieved",
        Status::NoData => "status_no_data",
        Status::NoValue => "status_no_value",
        Status::NotAssessed => "status_not_assessed",
    };
    label(key, lang)
}

/// The status of an indicator in words: as [`status`] ("insufficient data": no value, or none that can settle the
/// target), except that it says "no data" where the indicator has no latest value at all, and "insufficient data
/// (value suppressed)" beside a suppressed one, keeping suppressed and missing apart; never "no data" beside a value
/// shown (round 10, F6), nor where the series has a value in another period (a partial 2024 beside a 2025 target
/// with nothing: "insufficient data", as the glossary defines "no data" as no value in the review window; round 51,
/// found by a review helper).
pub fn indicator_status(indicator: &crate::model::IndicatorReview, lang: Lang) -> &'static str {
    let latest = indicator.latest.as_ref().map(|l| &l.value);
    // A value named beside "no data for 2025" (from before the window too) is a value the review shows.
    let nothing = indicator.series.iter().all(|point| point.value == crate::model::Value::Missing)
        && indicator.latest_elsewhere.is_none();
    match (indicator.status, latest) {
        (Status::NoData, Some(crate::model::Value::Suppressed)) => label("status_suppressed", lang),
        (Status::NoData, None | Some(crate::model::Value::Missing)) if nothing => label("status_no_value", lang),
        (status, _) => self::status(status, lang),
    }
}

/// A symbol beside each status, so that status never depends on colour alone.
pub fn status_symbol(status: Status) -> &'static str {
    match status {
        Status::Achieved => "✔",
        Status::OnTrack => "↗",
        Status::AtRisk => "⚠",
        Status::OffTrack => "↘",
        Status::NotAchieved => "✘",
        Status::NoData | Status::NoValue => "?",
        Status::NotAssessed => "–",
    }
}

pub fn activity_status(status: Option<ActivityStatus>, lang: Lang) -> &'static str {
    let key = match status {
        Some(ActivityStatus::Planned) => "activity_planned",
        Some(ActivityStatus::InProgress) => "activity_in_progress",
        Some(ActivityStatus::Done) => "activity_done",
        Some(ActivityStatus::Cancelled) => "activity_cancelled",
        None => "activity_unknown",
    };
    label(key, lang)
}

/// What kind of figures a source gives, for the bibliography.
pub fn source_kind(kind: tiendo_core::SourceKind, lang: Lang) -> &'static str {
    label(
        match kind {
            tiendo_core::SourceKind::Official => "source_kind_official",
            tiendo_core::SourceKind::Estimate => "source_kind_estimate",
            tiendo_core::SourceKind::Derived => "source_kind_derived",
            tiendo_core::SourceKind::Synthetic => "source_kind_synthetic",
        },
        lang,
    )
}

/// The label of a map of `provinces` provinces: "63 provinces (before 1 Jul 2025)", "6 provinces" (the count is the
/// catalogue's, never the national 63 or 34 of a catalogue that has other provinces).
pub fn province_map(map: ProvinceMap, provinces: usize, lang: Lang) -> String {
    let key = match map {
        ProvinceMap::Before2025 => "map_before_2025",
        ProvinceMap::From2025 => "map_from_2025",
        ProvinceMap::Unchanged => "map_unchanged",
    };
    label(key, lang).replace("{n}", &crate::format::number(provinces as f64, 0, lang))
}

pub fn severity(severity: tiendo_core::Severity, lang: Lang) -> &'static str {
    label(
        match severity {
            tiendo_core::Severity::Error => "severity_error",
            tiendo_core::Severity::Warning => "severity_warning",
            tiendo_core::Severity::Info => "severity_info",
        },
        lang,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_has_both_languages_and_a_unique_key() {
        let mut keys = std::collections::BTreeSet::new();
        for (key, vi, en) in LABELS {
            assert!(keys.insert(*key), "duplicate label key {key}");
            assert!(!vi.trim().is_empty(), "{key} has no Vietnamese");
            assert!(!en.trim().is_empty(), "{key} has no English");
        }
    }

    #[test]
    fn the_one_line_synthetic_title_is_how_the_first_page_banner_begins() {
        for lang in [Lang::Vi, Lang::En] {
            let title = label("synthetic_wholly_title", lang);
            assert!(label("synthetic_wholly", lang).starts_with(&format!("{title}. ")), "{lang:?}");
        }
    }

    #[test]
    fn every_enum_label_exists() {
        for lang in [Lang::Vi, Lang::En] {
            for s in Status::ALL {
                assert!(!status(s, lang).starts_with("status_"), "{s:?}");
            }
            for a in [None, Some(ActivityStatus::Planned), Some(ActivityStatus::InProgress), Some(ActivityStatus::Done)]
            {
                assert!(!activity_status(a, lang).starts_with("activity_"));
            }
            assert!(!activity_status(Some(ActivityStatus::Cancelled), lang).starts_with("activity_"));
            for m in [ProvinceMap::Before2025, ProvinceMap::From2025, ProvinceMap::Unchanged] {
                assert!(province_map(m, 6, lang).starts_with("6 "), "{m:?}");
            }
            for k in tiendo_core::SourceKind::ALL {
                assert!(!source_kind(k, lang).starts_with("source_kind_"), "{k:?}");
            }
        }
    }
}
