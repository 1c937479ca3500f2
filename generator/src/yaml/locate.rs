//! Finds where each field of a YAML document was written.
//!
//! serde_norway's `Value` does not keep positions, so this scans the source
//! text once and records, for each field path (`sessions[1].time`), the line
//! and column of its key and of its value. It understands the block style that
//! editors write (mappings, `- ` sequences, block scalars, single-line flow
//! lists); anything it cannot place falls back to the nearest parent.

use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    key: Pos,
    value: Pos,
}

#[derive(Debug, Default)]
pub struct Locator {
    entries: HashMap<String, Entry>,
    /// Added to every line number (front matter starts after `---`).
    line_offset: usize,
}

#[derive(Debug)]
enum Container {
    Map {
        col: usize,
        path: String,
        last_key: Option<String>,
    },
    Seq {
        col: usize,
        path: String,
        next: usize,
    },
}

impl Container {
    fn col(&self) -> usize {
        match self {
            Container::Map { col, .. } | Container::Seq { col, .. } => *col,
        }
    }
}

pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

pub fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// Strips a trailing comment (` #…`) outside quotes.
fn strip_comment(s: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev_space = true;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && prev_space => return s[..i].trim_end(),
            None => {}
        }
        prev_space = c == ' ' || c == '\t';
    }
    s.trim_end()
}

/// Splits `key: rest` at the first `:` followed by a space or the end, outside quotes.
fn split_key(s: &str) -> Option<(&str, usize)> {
    let mut quote: Option<char> = None;
    let bytes = s.as_bytes();
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && i == 0 => quote = Some(c),
            None if c == '[' || c == '{' => return None,
            None if c == ':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') => {
                let key = s[..i].trim().trim_matches(['"', '\'']);
                return Some((key, i + 1));
            }
            None => {}
        }
    }
    None
}

fn char_col(line: &str, byte: usize) -> usize {
    line[..byte].chars().count() + 1
}

impl Locator {
    pub fn new(source: &str, line_offset: usize) -> Locator {
        let mut loc = Locator {
            entries: HashMap::new(),
            line_offset,
        };
        let mut stack: Vec<Container> = vec![Container::Map {
            col: 0,
            path: String::new(),
            last_key: None,
        }];
        let mut block_scalar_indent: Option<usize> = None;
        for (n, raw) in source.lines().enumerate() {
            let line_no = n + 1;
            let content = raw.trim_start_matches(' ');
            let indent = raw.len() - content.len();
            if let Some(min) = block_scalar_indent {
                if content.is_empty() || indent > min {
                    continue;
                }
                block_scalar_indent = None;
            }
            let text = strip_comment(content);
            if text.is_empty() || text == "---" || text == "..." {
                continue;
            }
            // Close containers that end before this column.
            while stack.len() > 1 && stack.last().is_some_and(|c| c.col() > indent) {
                stack.pop();
            }
            let mut col = indent;
            let mut rest = text;
            // A sequence item at this column.
            while rest == "-" || rest.starts_with("- ") {
                let top_is_seq_here =
                    matches!(stack.last(), Some(Container::Seq { col: c, .. }) if *c == col);
                if !top_is_seq_here {
                    let parent = match stack.last() {
                        Some(Container::Map {
                            path,
                            last_key: Some(k),
                            ..
                        }) => join(path, k),
                        Some(Container::Map { path, .. }) => path.clone(),
                        Some(Container::Seq { path, next, .. }) => {
                            index(path, next.saturating_sub(1))
                        }
                        None => String::new(),
                    };
                    stack.push(Container::Seq {
                        col,
                        path: parent,
                        next: 0,
                    });
                }
                let Some(Container::Seq { path, next, .. }) = stack.last_mut() else {
                    break;
                };
                let item = index(path, *next);
                *next += 1;
                let after = rest[1..].trim_start_matches(' ');
                let item_col = col + (rest.len() - after.len());
                let pos = Pos {
                    line: line_no,
                    column: char_col(raw, item_col),
                };
                loc.entries.insert(
                    item.clone(),
                    Entry {
                        key: pos,
                        value: pos,
                    },
                );
                if after.is_empty() {
                    rest = after;
                    break;
                }
                if split_key(after).is_some() {
                    stack.push(Container::Map {
                        col: item_col,
                        path: item,
                        last_key: None,
                    });
                } else if !after.starts_with("- ") {
                    loc.flow_items(&item, raw, item_col, after, line_no);
                }
                col = item_col;
                rest = after;
            }
            if rest.is_empty() {
                continue;
            }
            let Some((key, after_colon)) = split_key(rest) else {
                continue;
            };
            // A key at a column deeper than the current map opens a nested map.
            let needs_new_map = match stack.last() {
                Some(Container::Map { col: c, .. }) => *c < col,
                Some(Container::Seq { col: c, .. }) => *c < col,
                None => true,
            };
            if needs_new_map {
                let parent = match stack.last() {
                    Some(Container::Map {
                        path,
                        last_key: Some(k),
                        ..
                    }) => join(path, k),
                    Some(Container::Map { path, .. }) => path.clone(),
                    Some(Container::Seq { path, next, .. }) => index(path, next.saturating_sub(1)),
                    None => String::new(),
                };
                stack.push(Container::Map {
                    col,
                    path: parent,
                    last_key: None,
                });
            }
            // A key at a sequence's column ends that sequence (compact `key:\n- a`).
            while matches!(stack.last(), Some(Container::Seq { col: c, .. }) if *c == col) {
                stack.pop();
            }
            let Some(Container::Map { path, last_key, .. }) = stack.last_mut() else {
                continue;
            };
            let field = join(path, key);
            *last_key = Some(key.to_owned());
            let value_text = rest[after_colon..].trim_start_matches(' ');
            let value_byte = col + after_colon + (rest[after_colon..].len() - value_text.len());
            let key_pos = Pos {
                line: line_no,
                column: char_col(raw, col),
            };
            let value_pos = if value_text.is_empty() {
                key_pos
            } else {
                Pos {
                    line: line_no,
                    column: char_col(raw, value_byte),
                }
            };
            loc.entries.insert(
                field.clone(),
                Entry {
                    key: key_pos,
                    value: value_pos,
                },
            );
            if value_text.starts_with('|') || value_text.starts_with('>') {
                block_scalar_indent = Some(col);
            } else if value_text.starts_with('[') {
                loc.flow_items(&field, raw, value_byte, value_text, line_no);
            }
        }
        loc
    }

    /// Records the items of a one-line flow list `[a, b, c]`.
    fn flow_items(&mut self, path: &str, raw: &str, start: usize, text: &str, line: usize) {
        let Some(inner) = text.strip_prefix('[') else {
            return;
        };
        let Some(end) = inner.find(']') else { return };
        let mut offset = start + 1;
        for (i, part) in inner[..end].split(',').enumerate() {
            let trimmed = part.trim_start();
            let col = offset + (part.len() - trimmed.len());
            let pos = Pos {
                line,
                column: char_col(raw, col.min(raw.len())),
            };
            self.entries.insert(
                index(path, i),
                Entry {
                    key: pos,
                    value: pos,
                },
            );
            offset += part.len() + 1;
        }
    }

    fn shift(&self, p: Pos) -> Pos {
        Pos {
            line: p.line + self.line_offset,
            column: p.column,
        }
    }

    fn lookup(&self, path: &str) -> Option<Entry> {
        let mut p = path;
        loop {
            if let Some(e) = self.entries.get(p) {
                return Some(*e);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }

    /// Where the key of `path` was written (or its nearest written parent).
    pub fn key(&self, path: &str) -> Pos {
        self.shift(
            self.lookup(path)
                .map_or(Pos { line: 1, column: 1 }, |e| e.key),
        )
    }

    /// Where the value of `path` starts (or its nearest written parent).
    pub fn value(&self, path: &str) -> Pos {
        self.shift(
            self.lookup(path)
                .map_or(Pos { line: 1, column: 1 }, |e| e.value),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "\
title: 패턴 # comment
description: |
  first: not a key
  second
sessions:
  - date: 2026-12-08
    time: \"10:00-13:00\"
  - date: 2026-12-09
    time: \"10:00-13:00\"
industries: [apparel, jewelry]
booking:
  hours:
    mon: [\"09:00-12:00\", \"13:00-18:00\"]
  approval: staff
compact:
- a
- b
after: 1
";

    fn at(l: &Locator, p: &str) -> (usize, usize) {
        let v = l.value(p);
        (v.line, v.column)
    }

    #[test]
    fn finds_nested_fields() {
        let l = Locator::new(DOC, 0);
        assert_eq!(at(&l, "title"), (1, 8));
        assert_eq!(at(&l, "sessions[0].date"), (6, 11));
        assert_eq!(at(&l, "sessions[1].time"), (9, 11));
        assert_eq!(at(&l, "industries[1]"), (10, 23));
        assert_eq!(at(&l, "booking.hours.mon[1]"), (13, 26));
        assert_eq!(at(&l, "booking.approval"), (14, 13));
        assert_eq!(at(&l, "compact[1]"), (17, 3));
        assert_eq!(at(&l, "after"), (18, 8));
        assert!(!l.entries.contains_key("description.first") && !l.entries.contains_key("first"));
    }

    #[test]
    fn falls_back_to_parent_and_offsets_lines() {
        let l = Locator::new(DOC, 1);
        assert_eq!(at(&l, "sessions[1].title"), (9, 5));
        assert_eq!(l.key("booking.slot_minutes").line, 12);
    }
}
