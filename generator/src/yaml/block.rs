//! Positions inside a scalar: where a character of a text read from a
//! block scalar (`|`, `>`) or a one-line plain scalar was written, so that
//! a problem found inside the text (a link) is shown at its own line and
//! column rather than at its field.
//!
//! The scalar's value is rebuilt from the lines as written (indentation
//! removed; for `>` lines folded as YAML folds them) and compared with
//! the value that was read: when they differ (a form this does not
//! follow, such as an explicit indentation indicator), there is no
//! position and the caller keeps the field's.

use super::locate::Pos;

/// A written line of the scalar: the byte of the rebuilt value where its
/// text starts, and where that text was written.
struct Piece {
    byte: usize,
    at: Pos,
}

/// Where byte `offset` of `value` (the scalar starting at `at`, trimmed as
/// text fields are) was written in `text`, whose first line is line
/// `line_offset + 1` of its file.
pub(crate) fn position(
    text: &str,
    line_offset: usize,
    at: Pos,
    value: &str,
    offset: usize,
) -> Option<Pos> {
    let lines: Vec<&str> = text.lines().collect();
    let first = at.line.checked_sub(line_offset + 1)?;
    let header = lines.get(first)?;
    let start = header
        .char_indices()
        .nth(at.column.checked_sub(1)?)
        .map(|(i, _)| i)?;
    let rest = &header[start..];
    let (raw, pieces) = match rest.chars().next()? {
        c @ ('|' | '>') => block(&lines, first, line_offset, header, &rest[1..], c == '>')?,
        '"' | '\'' => return None,
        _ => plain(
            rest,
            value,
            Pos {
                line: at.line,
                column: at.column,
            },
        )?,
    };
    if raw.trim() != value {
        return None;
    }
    let target = raw.len() - raw.trim_start().len() + offset;
    let piece = pieces.iter().rev().find(|p| p.byte <= target)?;
    let before = raw.get(piece.byte..target)?;
    Some(Pos {
        line: piece.at.line,
        column: piece.at.column + before.chars().count(),
    })
}

/// A plain scalar on one line: its text, without a trailing comment.
fn plain(rest: &str, value: &str, at: Pos) -> Option<(String, Vec<Piece>)> {
    let raw = if rest.trim() == value {
        rest
    } else {
        &rest[..rest.find(" #")?]
    };
    Some((raw.to_owned(), vec![Piece { byte: 0, at }]))
}

/// The lines of a block scalar whose header (`|` or `>`, `indicators`
/// after it) is line `first` of `lines`.
fn block(
    lines: &[&str],
    first: usize,
    line_offset: usize,
    header: &str,
    indicators: &str,
    folded: bool,
) -> Option<(String, Vec<Piece>)> {
    let indicators = indicators.split(" #").next().unwrap_or_default().trim();
    // An indentation indicator (`|2`) is not followed here.
    if !indicators.chars().all(|c| c == '+' || c == '-') || indicators.len() > 1 {
        return None;
    }
    let outer = indentation(header);
    let mut indent = None;
    // (file line, text), the text without the block's indentation.
    let mut content: Vec<(usize, &str)> = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(first + 1) {
        let blank = line.trim_start_matches(' ').is_empty();
        let n = match indent {
            Some(n) => n,
            None if blank => {
                content.push((line_offset + i + 1, ""));
                continue;
            }
            None => {
                let n = indentation(line);
                if n <= outer {
                    break;
                }
                indent = Some(n);
                n
            }
        };
        if !blank && indentation(line) < n {
            break;
        }
        content.push((line_offset + i + 1, line.get(n..).unwrap_or("")));
    }
    let column = indent? + 1;
    // Blank lines after the last text belong to the chomping, not the text.
    while content.last().is_some_and(|(_, t)| t.is_empty()) {
        content.pop();
    }
    let mut raw = String::new();
    let mut pieces = Vec::new();
    if folded {
        // A line break between two text lines that do not start with a
        // space becomes a space; with blank lines between, one newline per
        // blank line. Around more-indented lines every break is kept.
        let mut previous: Option<bool> = None;
        let mut blanks = 0;
        for (line, text) in content {
            if text.is_empty() {
                blanks += 1;
                continue;
            }
            let normal = !text.starts_with([' ', '\t']);
            match previous {
                None => raw.push_str(&"\n".repeat(blanks)),
                Some(true) if normal && blanks == 0 => raw.push(' '),
                Some(true) if normal => raw.push_str(&"\n".repeat(blanks)),
                Some(_) => raw.push_str(&"\n".repeat(blanks + 1)),
            }
            pieces.push(Piece {
                byte: raw.len(),
                at: Pos { line, column },
            });
            raw.push_str(text);
            previous = Some(normal);
            blanks = 0;
        }
    } else {
        for (i, (line, text)) in content.into_iter().enumerate() {
            if i > 0 {
                raw.push('\n');
            }
            pieces.push(Piece {
                byte: raw.len(),
                at: Pos { line, column },
            });
            raw.push_str(text);
        }
    }
    Some((raw, pieces))
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The position of the first `needle` of the value of the scalar at
    /// `at`, as `serde_yaml` reads the document's `key`.
    fn find(doc: &str, key: &str, at: (usize, usize), needle: &str) -> Option<(usize, usize)> {
        let root: serde_yaml::Value = serde_yaml::from_str(doc).expect("YAML");
        let value = root[key].as_str().expect("text").trim();
        let offset = value.find(needle).expect("needle");
        let at = Pos {
            line: at.0,
            column: at.1,
        };
        position(doc, 0, at, value, offset).map(|p| (p.line, p.column))
    }

    #[test]
    fn literal_block_lines_keep_their_lines_and_columns() {
        let doc = "a: 1\ndescription: |\n  첫 줄\n\n  둘째 [링크](/x/)\n    더 들여쓴 [b](/y/)\nnext: 2\n";
        assert_eq!(find(doc, "description", (2, 14), "[링크]"), Some((5, 6)));
        assert_eq!(find(doc, "description", (2, 14), "[b]"), Some((6, 11)));
    }

    #[test]
    fn folded_lines_are_found_on_the_line_they_were_written() {
        let doc =
            "description: >-\n  하나 둘\n  셋 [a](/a/)\n\n  넷\n   다섯 [b](/b/)\n  [c](/c/)\n";
        assert_eq!(find(doc, "description", (1, 14), "[a]"), Some((3, 5)));
        assert_eq!(find(doc, "description", (1, 14), "[b]"), Some((6, 7)));
        assert_eq!(find(doc, "description", (1, 14), "[c]"), Some((7, 3)));
    }

    #[test]
    fn a_one_line_plain_scalar_has_columns_and_others_have_none() {
        let doc = "description: 짧은 [a](/a/) # 주석\n";
        assert_eq!(find(doc, "description", (1, 14), "[a]"), Some((1, 17)));
        let quoted = "description: \"짧은 [a](/a/)\"\n";
        assert_eq!(find(quoted, "description", (1, 14), "[a]"), None);
        let indicated = "description: |2\n    [a](/a/)\n";
        assert_eq!(find(indicated, "description", (1, 14), "[a]"), None);
    }
}
