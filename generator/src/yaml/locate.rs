//! Finds where each field of a YAML document was written.
//!
//! serde_norway's `Value` does not keep positions, so this scans the source
//! text once and records, for each field path (`sessions[1].time`), the line
//! and column of its key and of its value. It understands the block style that
//! editors write (mappings, `- ` sequences, block scalars, single-line flow
//! lists); anything it cannot place falls back to the nearest parent.
//!
//! The work is linear in the size of the text, however deeply it nests (or
//! seems to: the lines of a multi-line quoted string are read as structure
//! too). Paths are therefore never built as strings while scanning: each
//! field is a node holding its parent and its own segment (`.time`, `[1]`),
//! with a hash of its whole path, so that a lookup by path string costs the
//! length of that string.

use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pos {
    pub(crate) line: usize,
    pub(crate) column: usize,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    key: Pos,
    value: Pos,
}

/// One step of a path below its parent.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(Box<str>),
    Index(usize),
}

/// A field path: its parent, its last segment, and where it was written.
#[derive(Debug)]
struct Node {
    parent: usize,
    segment: Segment,
    /// FNV-1a of the whole path string (as `join` and `index` spell it).
    hash: u64,
    /// Length of the whole path string, in bytes.
    len: usize,
    entry: Option<Entry>,
}

/// The root node: the empty path, the document itself.
const ROOT: usize = 0;
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv(mut hash: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    hash
}

#[derive(Debug, Default)]
pub(crate) struct Locator {
    /// Every path seen; `nodes[ROOT]` is the empty path (none when empty,
    /// for a placeholder locator).
    nodes: Vec<Node>,
    /// Path hash → the last node with that path.
    by_hash: HashMap<u64, usize>,
    /// Added to every line number (front matter starts after `---`).
    line_offset: usize,
    /// Characters looked at while scanning (for the test that the scan is
    /// linear).
    steps: usize,
    /// Keys written again in the same mapping: the node and where its key
    /// was first written (the node's entry is the last one).
    again: Vec<(usize, Pos)>,
}

/// A key written twice in one mapping (see [`Locator::written_twice`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Twice {
    /// The field's path (`sessions[0].title`).
    pub(crate) path: String,
    pub(crate) first: Pos,
    pub(crate) second: Pos,
}

#[derive(Debug)]
enum Container {
    Map {
        col: usize,
        node: usize,
        /// The node of the last key read in this mapping.
        last_key: Option<usize>,
    },
    Seq {
        col: usize,
        node: usize,
        /// The node of the last item read in this sequence.
        last_item: Option<usize>,
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

pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

pub(crate) fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// Strips a trailing comment (` #…`) outside quotes.
fn strip_comment<'a>(s: &'a str, steps: &mut usize) -> &'a str {
    let mut quote: Option<char> = None;
    let mut prev_space = true;
    for (i, c) in s.char_indices() {
        *steps += 1;
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
fn split_key<'a>(s: &'a str, steps: &mut usize) -> Option<(&'a str, usize)> {
    let mut quote: Option<char> = None;
    let bytes = s.as_bytes();
    for (i, c) in s.char_indices() {
        *steps += 1;
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

/// Columns (in characters) of byte offsets in one line, counted from the
/// last one asked for: the offsets of a line are asked for in order, so a
/// line is counted once, not once per field on it.
struct Columns<'a> {
    line: &'a str,
    byte: usize,
    column: usize,
}

impl<'a> Columns<'a> {
    fn new(line: &'a str) -> Columns<'a> {
        Columns {
            line,
            byte: 0,
            column: 1,
        }
    }

    fn at(&mut self, byte: usize, steps: &mut usize) -> usize {
        let mut byte = byte.min(self.line.len());
        while !self.line.is_char_boundary(byte) {
            byte -= 1;
        }
        if byte < self.byte {
            self.byte = 0;
            self.column = 1;
        }
        let counted = self.line[self.byte..byte].chars().count();
        *steps += counted;
        self.column += counted;
        self.byte = byte;
        self.column
    }
}

impl Locator {
    pub(crate) fn new(source: &str, line_offset: usize) -> Locator {
        let mut loc = Locator {
            nodes: vec![Node {
                parent: ROOT,
                segment: Segment::Index(0),
                hash: FNV_OFFSET,
                len: 0,
                entry: None,
            }],
            by_hash: HashMap::new(),
            line_offset,
            steps: 0,
            again: Vec::new(),
        };
        let mut steps = 0;
        let mut stack: Vec<Container> = vec![Container::Map {
            col: 0,
            node: ROOT,
            last_key: None,
        }];
        let mut block_scalar_indent: Option<usize> = None;
        for (n, raw) in source.lines().enumerate() {
            steps += raw.len() + 1;
            let line_no = n + 1;
            let content = raw.trim_start_matches(' ');
            let indent = raw.len() - content.len();
            if let Some(min) = block_scalar_indent {
                if content.is_empty() || indent > min {
                    continue;
                }
                block_scalar_indent = None;
            }
            let text = strip_comment(content, &mut steps);
            if text.is_empty() || text == "---" || text == "..." {
                continue;
            }
            let mut columns = Columns::new(raw);
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
                    let parent = loc.parent_of(stack.last());
                    stack.push(Container::Seq {
                        col,
                        node: parent,
                        last_item: None,
                        next: 0,
                    });
                }
                let Some(Container::Seq {
                    node,
                    last_item,
                    next,
                    ..
                }) = stack.last_mut()
                else {
                    break;
                };
                let item = loc.child(*node, Segment::Index(*next));
                *next += 1;
                *last_item = Some(item);
                let after = rest[1..].trim_start_matches(' ');
                let item_col = col + (rest.len() - after.len());
                let pos = Pos {
                    line: line_no,
                    column: columns.at(item_col, &mut steps),
                };
                loc.nodes[item].entry = Some(Entry {
                    key: pos,
                    value: pos,
                });
                if after.is_empty() {
                    rest = after;
                    break;
                }
                // Another `- ` item nests a sequence in this one: no key to
                // look for (and looking would scan the rest of the line once
                // per item).
                let nested = after == "-" || after.starts_with("- ");
                if !nested {
                    if split_key(after, &mut steps).is_some() {
                        stack.push(Container::Map {
                            col: item_col,
                            node: item,
                            last_key: None,
                        });
                    } else {
                        loc.flow_items(item, after, line_no, item_col, &mut columns, &mut steps);
                    }
                }
                col = item_col;
                rest = after;
            }
            if rest.is_empty() {
                continue;
            }
            let Some((key, after_colon)) = split_key(rest, &mut steps) else {
                continue;
            };
            // A key at a column deeper than the current map opens a nested map.
            let needs_new_map = match stack.last() {
                Some(Container::Map { col: c, .. }) => *c < col,
                Some(Container::Seq { col: c, .. }) => *c < col,
                None => true,
            };
            if needs_new_map {
                let parent = loc.parent_of(stack.last());
                stack.push(Container::Map {
                    col,
                    node: parent,
                    last_key: None,
                });
            }
            // A key at a sequence's column ends that sequence (compact `key:\n- a`).
            while matches!(stack.last(), Some(Container::Seq { col: c, .. }) if *c == col) {
                stack.pop();
            }
            let Some(Container::Map { node, last_key, .. }) = stack.last_mut() else {
                continue;
            };
            let field = loc.child(*node, Segment::Key(key.into()));
            *last_key = Some(field);
            let value_text = rest[after_colon..].trim_start_matches(' ');
            let value_byte = col + after_colon + (rest[after_colon..].len() - value_text.len());
            let key_pos = Pos {
                line: line_no,
                column: columns.at(col, &mut steps),
            };
            let value_pos = if value_text.is_empty() {
                key_pos
            } else {
                Pos {
                    line: line_no,
                    column: columns.at(value_byte, &mut steps),
                }
            };
            if let Some(first) = loc.nodes[field].entry {
                loc.again.push((field, first.key));
            }
            loc.nodes[field].entry = Some(Entry {
                key: key_pos,
                value: value_pos,
            });
            if value_text.starts_with('|') || value_text.starts_with('>') {
                block_scalar_indent = Some(col);
            } else if value_text.starts_with('[') {
                loc.flow_items(
                    field,
                    value_text,
                    line_no,
                    value_byte,
                    &mut columns,
                    &mut steps,
                );
            }
        }
        loc.steps = steps;
        loc
    }

    /// The path under which a new container opened below `top` lives: the
    /// last key of a mapping, the last item of a sequence.
    fn parent_of(&mut self, top: Option<&Container>) -> usize {
        match top {
            Some(Container::Map {
                last_key: Some(k), ..
            }) => *k,
            Some(Container::Map { node, .. }) => *node,
            Some(Container::Seq {
                last_item: Some(i), ..
            }) => *i,
            Some(Container::Seq { node, .. }) => self.child(*node, Segment::Index(0)),
            None => ROOT,
        }
    }

    /// The node of `segment` below `parent`, added if new.
    fn child(&mut self, parent: usize, segment: Segment) -> usize {
        let Some(p) = self.nodes.get(parent) else {
            return ROOT;
        };
        let (mut hash, mut len) = (p.hash, p.len);
        match &segment {
            Segment::Key(k) => {
                if parent != ROOT {
                    hash = fnv(hash, b".");
                    len += 1;
                }
                hash = fnv(hash, k.as_bytes());
                len += k.len();
            }
            Segment::Index(i) => {
                let text = format!("[{i}]");
                hash = fnv(hash, text.as_bytes());
                len += text.len();
            }
        }
        if let Some(&existing) = self.by_hash.get(&hash)
            && let Some(e) = self.nodes.get(existing)
            && e.parent == parent
            && e.segment == segment
        {
            return existing;
        }
        let id = self.nodes.len();
        self.nodes.push(Node {
            parent,
            segment,
            hash,
            len,
            entry: None,
        });
        self.by_hash.insert(hash, id);
        id
    }

    /// Whether the path of `node` is exactly `path`.
    fn spells(&self, mut node: usize, mut path: &str) -> bool {
        while node != ROOT {
            let Some(n) = self.nodes.get(node) else {
                return false;
            };
            let rest = match &n.segment {
                Segment::Key(k) => path.strip_suffix(&**k).and_then(|p| {
                    if n.parent == ROOT {
                        Some(p)
                    } else {
                        p.strip_suffix('.')
                    }
                }),
                Segment::Index(i) => path.strip_suffix(&*format!("[{i}]")),
            };
            let Some(rest) = rest else { return false };
            path = rest;
            node = n.parent;
        }
        path.is_empty()
    }

    /// Records the items of a one-line flow list `[a, b, c]` that starts at
    /// byte `start` of the line.
    fn flow_items(
        &mut self,
        parent: usize,
        text: &str,
        line: usize,
        start: usize,
        columns: &mut Columns<'_>,
        steps: &mut usize,
    ) {
        let Some(inner) = text.strip_prefix('[') else {
            return;
        };
        let Some(end) = inner.find(']') else { return };
        *steps += end;
        let mut offset = start + 1;
        for (i, part) in inner[..end].split(',').enumerate() {
            let trimmed = part.trim_start();
            let col = offset + (part.len() - trimmed.len());
            let pos = Pos {
                line,
                column: columns.at(col, steps),
            };
            let item = self.child(parent, Segment::Index(i));
            self.nodes[item].entry = Some(Entry {
                key: pos,
                value: pos,
            });
            offset += part.len() + 1;
        }
    }

    fn shift(&self, p: Pos) -> Pos {
        Pos {
            line: p.line + self.line_offset,
            column: p.column,
        }
    }

    /// The entry of `path`, or of its nearest written parent: the longest
    /// prefix ending before a `.` or `[` that was written.
    fn lookup(&self, path: &str) -> Option<Entry> {
        let bytes = path.as_bytes();
        let mut prefixes = Vec::new();
        let mut hash = FNV_OFFSET;
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'.' || *b == b'[' {
                prefixes.push((i, hash));
            }
            hash = fnv(hash, &[*b]);
        }
        prefixes.push((bytes.len(), hash));
        prefixes.into_iter().rev().find_map(|(len, hash)| {
            let id = *self.by_hash.get(&hash)?;
            let node = self.nodes.get(id)?;
            let entry = node.entry?;
            (node.len == len && self.spells(id, &path[..len])).then_some(entry)
        })
    }

    /// Whether `path` itself (not a parent) was written.
    #[cfg(test)]
    fn written(&self, path: &str) -> bool {
        self.lookup(path).is_some()
            && self
                .by_hash
                .get(&fnv(FNV_OFFSET, path.as_bytes()))
                .is_some_and(|id| self.nodes[*id].entry.is_some() && self.spells(*id, path))
    }

    /// The first key named `name` written a second time in its mapping:
    /// its path and where both were written. With three or more, the
    /// second is the one after the first.
    pub(crate) fn written_twice(&self, name: &str) -> Option<Twice> {
        let &(node, first) = self.again.iter().find(|(node, _)| {
            self.nodes
                .get(*node)
                .is_some_and(|n| n.segment == Segment::Key(name.into()))
        })?;
        let later = self.again.iter().filter(|(n, _)| *n == node).nth(1);
        let second = match later {
            Some((_, third)) => *third,
            None => self.nodes.get(node)?.entry?.key,
        };
        Some(Twice {
            path: self.path_of(node),
            first: self.shift(first),
            second: self.shift(second),
        })
    }

    /// The path string of `node`, as `join` and `index` spell it.
    fn path_of(&self, mut node: usize) -> String {
        let mut segments = Vec::new();
        while node != ROOT {
            let Some(n) = self.nodes.get(node) else { break };
            segments.push(n);
            node = n.parent;
        }
        let mut path = String::new();
        for n in segments.into_iter().rev() {
            path = match &n.segment {
                Segment::Key(k) => join(&path, k),
                Segment::Index(i) => index(&path, *i),
            };
        }
        path
    }

    /// Where the key of `path` was written (or its nearest written parent).
    pub(crate) fn key(&self, path: &str) -> Pos {
        self.shift(
            self.lookup(path)
                .map_or(Pos { line: 1, column: 1 }, |e| e.key),
        )
    }

    /// Where the value of `path` starts (or its nearest written parent).
    pub(crate) fn value(&self, path: &str) -> Pos {
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
        assert!(l.written("booking.hours.mon[1]") && l.written("compact[1]"));
        assert!(!l.written("description.first") && !l.written("first"));
    }

    /// Inputs that nest 100,000 levels deep, or seem to (the lines of a
    /// quoted string are read as structure too), or repeat a long key.
    fn deep_inputs() -> Vec<(&'static str, String)> {
        vec![
            (
                "`- ` 100,000 times in a quoted string",
                format!(
                    "title: 제목\nnotes: \"첫 줄\n{}끝\"\n",
                    "- ".repeat(100_000)
                ),
            ),
            (
                "flow lists 100,000 deep",
                format!("k: {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
            ),
            (
                "100,000 lines of mappings opening and closing 50 levels",
                (0..100_000)
                    .map(|i| format!("{}k:\n", " ".repeat(i % 50)))
                    .collect(),
            ),
            (
                "a 100 KB key with 20,000 fields under it",
                format!("{}:\n{}", "k".repeat(100_000), "  b: 1\n".repeat(20_000)),
            ),
        ]
    }

    #[test]
    fn the_scan_is_linear_however_deep_the_text_nests() {
        for (what, src) in deep_inputs() {
            let l = Locator::new(&src, 0);
            // Every character is looked at a bounded number of times, and
            // what is kept is no bigger than the text (paths used to be
            // copied whole at every level: quadratic time and memory).
            assert!(l.steps <= 8 * src.len(), "{what}: {} steps", l.steps);
            assert!(
                l.nodes.len() <= src.len(),
                "{what}: {} nodes",
                l.nodes.len()
            );
            let kept: usize = l
                .nodes
                .iter()
                .map(|n| match &n.segment {
                    Segment::Key(k) => k.len(),
                    Segment::Index(_) => 0,
                })
                .sum();
            assert!(kept <= src.len(), "{what}: {kept} bytes of keys");
        }
    }

    #[test]
    fn keys_written_twice_are_found_at_their_second_line() {
        let src = "name: a\nsessions:\n  - date: x\n    time: y\n    time: z\nname: b\nname: c\n";
        let loc = Locator::new(src, 1);
        let at = |line, column| Pos { line, column };
        assert_eq!(
            loc.written_twice("time"),
            Some(Twice {
                path: "sessions[0].time".into(),
                first: at(5, 5),
                second: at(6, 5),
            })
        );
        // Three times: the second is the one reported.
        assert_eq!(
            loc.written_twice("name"),
            Some(Twice {
                path: "name".into(),
                first: at(2, 1),
                second: at(7, 1),
            })
        );
        assert_eq!(loc.written_twice("date"), None);
    }

    #[test]
    fn deep_paths_are_found() {
        let src = format!("notes: \"a\n{}x\"\nafter: 1\n", "- ".repeat(100_000));
        let l = Locator::new(&src, 0);
        assert_eq!(at(&l, "notes"), (1, 8));
        assert_eq!(at(&l, "after"), (3, 8));
        let deep = format!("notes{}", "[0]".repeat(100_000));
        assert_eq!(at(&l, &deep), (2, 200_001));
        assert_eq!(at(&l, &format!("{deep}.missing")), (2, 200_001));
    }

    #[test]
    fn falls_back_to_parent_and_offsets_lines() {
        let l = Locator::new(DOC, 1);
        assert_eq!(at(&l, "sessions[1].title"), (9, 5));
        assert_eq!(l.key("booking.slot_minutes").line, 12);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Whether `p` is a place in `src` (lines shifted by `offset`): on a
        /// line of the file, at most one column past its end. Line 1,
        /// column 1 (what is reported when nothing is found) always is.
        fn inside(src: &str, offset: usize, p: Pos) -> bool {
            if p == (Pos {
                line: 1 + offset,
                column: 1,
            }) {
                return true;
            }
            p.line > offset
                && src
                    .lines()
                    .nth(p.line - offset - 1)
                    .is_some_and(|l| p.column >= 1 && p.column <= l.chars().count() + 1)
        }

        /// Text made of what drives the scanner: indentation, `- `, `: `,
        /// quotes, comments, flow brackets, block scalars, Hangul, tabs.
        fn yamlish() -> impl Strategy<Value = String> {
            let piece = prop::sample::select(vec![
                "- ", "-", ": ", ":", "\n", "\r\n", "  ", " ", "\t", "key", "값", "é", "#", "\"",
                "'", "[", "]", ",", "{", "}", "|", ">", "---", "...", ".", "0",
            ]);
            prop::collection::vec(piece, 0..160).prop_map(|v| v.concat())
        }

        #[derive(Debug, Clone)]
        enum Tree {
            Scalar(String),
            Map(Vec<(String, Tree)>),
            Seq(Vec<Tree>),
        }

        fn map_of(
            value: impl Strategy<Value = Tree>,
        ) -> impl Strategy<Value = Vec<(String, Tree)>> {
            prop::collection::btree_map("[a-z_가-힣]{1,6}", value, 1..4)
                .prop_map(|m| m.into_iter().collect())
        }

        fn tree() -> impl Strategy<Value = Tree> {
            let leaf = "[a-z0-9가-힣]{1,6}".prop_map(Tree::Scalar);
            leaf.prop_recursive(4, 40, 4, |inner| {
                prop_oneof![
                    map_of(inner.clone()).prop_map(Tree::Map),
                    prop::collection::vec(inner, 1..4).prop_map(Tree::Seq),
                ]
            })
        }

        /// Writes `t` in block style at `indent` as editors do (`- key: v`
        /// for a mapping in a list), and where the value of each path is.
        fn emit(
            t: &Tree,
            indent: usize,
            path: &str,
            out: &mut Vec<String>,
            at: &mut Vec<(String, Pos)>,
        ) {
            let pad = " ".repeat(indent);
            match t {
                Tree::Scalar(_) => unreachable!("scalars are written by their parent"),
                Tree::Map(entries) => {
                    for (k, v) in entries {
                        let field = join(path, k);
                        let key_col = indent + 1;
                        if let Tree::Scalar(s) = v {
                            out.push(format!("{pad}{k}: {s}"));
                            let column = key_col + k.chars().count() + 2;
                            at.push((
                                field,
                                Pos {
                                    line: out.len(),
                                    column,
                                },
                            ));
                        } else {
                            out.push(format!("{pad}{k}:"));
                            at.push((
                                field.clone(),
                                Pos {
                                    line: out.len(),
                                    column: key_col,
                                },
                            ));
                            emit(v, indent + 2, &field, out, at);
                        }
                    }
                }
                Tree::Seq(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let field = index(path, i);
                        // The item starts on the next line, after `- `.
                        let pos = Pos {
                            line: out.len() + 1,
                            column: indent + 3,
                        };
                        if let Tree::Scalar(s) = item {
                            out.push(format!("{pad}- {s}"));
                        } else {
                            // The item's first line, with `- ` in its indentation.
                            let first = out.len();
                            emit(item, indent + 2, &field, out, at);
                            out[first].replace_range(indent..indent + 2, "- ");
                        }
                        at.push((field, pos));
                    }
                }
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn any_text_is_scanned_linearly_and_positions_stay_in_the_file(
                src in prop_oneof![yamlish(), any::<String>()],
                offset in 0usize..3,
                query in "[a-z값_.\\[\\]0-9]{0,24}",
            ) {
                let l = Locator::new(&src, offset);
                prop_assert!(l.steps <= 8 * src.len() + 8, "{} steps for {} bytes", l.steps, src.len());
                for n in &l.nodes {
                    if let Some(e) = n.entry {
                        prop_assert!(inside(&src, offset, l.shift(e.key)), "{:?}", e.key);
                        prop_assert!(inside(&src, offset, l.shift(e.value)), "{:?}", e.value);
                    }
                }
                for p in [l.key(&query), l.value(&query)] {
                    prop_assert!(inside(&src, offset, p), "{query}: {p:?}");
                }
            }

            #[test]
            fn every_field_of_a_block_document_is_found_where_it_was_written(
                doc in map_of(tree()),
            ) {
                let (mut lines, mut at) = (Vec::new(), Vec::new());
                emit(&Tree::Map(doc), 0, "", &mut lines, &mut at);
                let text = lines.join("\n") + "\n";
                prop_assert!(serde_yaml::from_str::<serde_yaml::Value>(&text).is_ok(), "{text}");
                let l = Locator::new(&text, 0);
                for (path, pos) in at {
                    prop_assert_eq!(l.value(&path), pos, "{}\n{}", path, text);
                }
            }
        }
    }
}
