//! Tidy tests: the invariants ARCHITECTURE.md writes down, checked by reading the source tree
//! as text (the approach of rust-analyzer's `xtask/src/tidy.rs`). They run with xtask's unit
//! tests, so `cargo test --workspace` (the SQLite step of `cargo xtask test`) runs them.
//!
//! Each rule is one checker over [`Source`] files and one `#[test]` that runs it on the tree
//! and fails with `file:line: rule: what`. Each rule also has a self-check that feeds its
//! checker a bad snippet, so a checker that has gone blind fails instead of passing quietly.
//!
//! Test code is exempt everywhere: `#[cfg(test)] mod … { … }` blocks and files declared with
//! `#[cfg(test)] mod …;` (the invariants are about what ships; tests may read clocks and spell
//! statuses out).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::project_root;

// ---------------------------------------------------------------------------------------
// The rules.

/// "Region filters are code ranges (`>= '32.'` and `< '32/'`), never LIKE, so indexes answer
/// them." Every `LIKE` in the server's SQL (Rust string literals in `crates/server/src`, and
/// the migrations) is refused unless its operand is allowed here, narrowly, with a reason.
const LIKE_RULE: &str = "region filters are code ranges (`>= '32.'` and `< '32/'`), never LIKE, \
                         so indexes answer them (ARCHITECTURE.md)";

/// `(file, operand, right-hand side)` of the LIKEs that are not on region codes.
const LIKE_ALLOWED: &[(&str, &str, &str)] = &[
    // The registry's catalogue queries: its own tables and indexes by name prefix (SQLite's
    // sqlite_master and PostgreSQL's pg_indexes), not region codes.
    (
        "crates/server/src/registry/store.rs",
        "tbl_name",
        "'registry_%'",
    ),
    (
        "crates/server/src/registry/store.rs",
        "i.tablename",
        "'registry_%'",
    ),
];

fn check_no_like_on_region_codes(rust: &[Source], sql: &[Source]) -> Vec<String> {
    let mut found = Vec::new();
    let mut check = |file: &Source, line: usize, text: &str, offset: usize| {
        let (operand, rhs) = like_operands(text, offset);
        let allowed = LIKE_ALLOWED
            .iter()
            .any(|&(f, o, r)| f == file.path && o == operand && r == rhs);
        if !allowed {
            found.push(format!(
                "{}:{line}: {LIKE_RULE}: `{operand} LIKE {rhs}`; use a code range, or, if \
                 this is not a region code, allow it in LIKE_ALLOWED (xtask/src/tidy.rs) \
                 with the reason",
                file.path
            ));
        }
    };
    for file in rust {
        for token in file.tokens.iter().filter(|t| t.kind == Kind::Str) {
            // SQL in this code base is written in capitals; "like" in a sentence is English.
            for offset in word_offsets(&token.text, "LIKE", true) {
                check(file, token.line_at(offset), &token.text, offset);
            }
        }
    }
    for file in sql {
        let text = strip_sql_comments(&file.text);
        for offset in word_offsets(&text, "LIKE", false) {
            let line = 1 + text[..offset].matches('\n').count();
            check(file, line, &text, offset);
        }
    }
    found
}

/// The words around the `LIKE` at `offset`: the operand before it (past `NOT`, `I` of
/// `ILIKE`) and the pattern after it, or `(expression)` when it is not a plain column.
fn like_operands(text: &str, offset: usize) -> (String, String) {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    let mut before = text[..offset].trim_end_matches(['I', 'i']).trim_end();
    for not in [" NOT", " not"] {
        if let Some(stripped) = before.strip_suffix(not) {
            before = stripped.trim_end();
        }
    }
    let start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !is_name(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let operand = match &before[start..] {
        "" => "(expression)".to_owned(),
        name => name.to_owned(),
    };
    let after = text[offset + "LIKE".len()..].trim_start();
    let rhs = after
        .split(|c: char| c.is_whitespace() || c == ')' || c == ',')
        .next()
        .unwrap_or_default()
        .to_owned();
    (operand, rhs)
}

/// "`src/clock.rs` the only place the service reads the clock"; "`crates/core` does no IO".
const CLOCK_RULE: &str = "the service reads the clock only in platform/clock.rs, and core reads \
                          none (ARCHITECTURE.md)";

const CLOCK_MODULE: &str = "crates/server/src/platform/clock.rs";

/// `(file, clock)`: reads that are not "the time" the service's rules use.
const CLOCK_ALLOWED: &[(&str, &str)] = &[];

/// The types whose `now…` reads the clock.
const CLOCKS: [&str; 5] = ["SystemTime", "Instant", "Utc", "Local", "OffsetDateTime"];

fn check_clock_reads(server: &[Source], core: &[Source]) -> Vec<String> {
    let mut found = Vec::new();
    for file in server.iter().chain(core) {
        if file.path == CLOCK_MODULE {
            continue;
        }
        let t = &file.tokens;
        for i in 0..t.len() {
            // `Clock::now…`, whatever path leads to it (`std::time::Instant::now`, …).
            let read = CLOCKS.iter().find(|&&clock| {
                t[i].is_ident(clock)
                    && is_path_sep(t, i + 1)
                    && t.get(i + 3).is_some_and(|n| n.is_ident_prefix("now"))
            });
            // `UNIX_EPOCH.elapsed()` reads the clock too.
            let read = read.copied().or_else(|| {
                (t[i].is_ident("UNIX_EPOCH")
                    && t.get(i + 1).is_some_and(|n| n.is_punct('.'))
                    && t.get(i + 2).is_some_and(|n| n.is_ident("elapsed")))
                .then_some("UNIX_EPOCH")
            });
            let Some(clock) = read else { continue };
            if CLOCK_ALLOWED
                .iter()
                .any(|&(f, c)| f == file.path && c == clock)
            {
                continue;
            }
            found.push(format!(
                "{}:{}: {CLOCK_RULE}: `{clock}` read here; take the time from \
                 ikd_server::platform::clock (core: have the caller pass `now`/`today` in)",
                file.path, t[i].line
            ));
        }
    }
    found
}

/// The registration statuses live once, in `ikd_core::RegistrationStatus`.
const STATUS_RULE: &str = "a registration status is written only by its enum \
                           (ikd_core::RegistrationStatus, crates/core/src/registration_status.rs)";

const STATUSES: [&str; 5] = ["pending", "approved", "rejected", "activated", "superseded"];

/// Files whose own enums spell these words for other things, or the enum itself.
const STATUS_FILES_ALLOWED: [&str; 3] = [
    "crates/core/src/registration_status.rs",
    // ActivityKind's own labels.
    "crates/core/src/activity.rs",
    // The adoption steps (registered, approved, activated) are a Step enum of their own.
    "crates/server/src/officer/adoption.rs",
];

fn check_status_literals(files: &[Source]) -> Vec<String> {
    let mut found = Vec::new();
    for file in files {
        if STATUS_FILES_ALLOWED.contains(&file.path.as_str()) {
            continue;
        }
        for token in file.tokens.iter().filter(|t| t.kind == Kind::Str) {
            for status in STATUSES {
                // The Rust literal "approved", and the SQL literal 'approved' inside any string.
                let rust = token.text == status;
                let sql = token.text.find(&format!("'{status}'"));
                if rust || sql.is_some() {
                    let line = token.line_at(sql.unwrap_or(0));
                    let how = if rust { "Rust" } else { "SQL" };
                    found.push(format!(
                        "{}:{line}: {STATUS_RULE}: {how} literal '{status}'; use \
                         RegistrationStatus::…as_str() (bind it in SQL)",
                        file.path
                    ));
                }
            }
        }
    }
    found
}

/// "`crates/core` does no IO and depends on neither web-sys nor tokio nor sqlx."
const CORE_DEPS_RULE: &str = "crates/core does no IO and depends on neither web-sys nor tokio nor \
                              sqlx (ARCHITECTURE.md)";

/// Crates that mean IO, an async runtime or OS randomness (`name` or `name-…`).
const CORE_FORBIDDEN: [&str; 6] = ["web-sys", "tokio", "sqlx", "getrandom", "mio", "reqwest"];

/// Checks the output of `cargo tree -p ikd-core -e normal --prefix depth` (one package per
/// line, its depth first), naming the chain that leads to each forbidden crate.
fn check_core_dependency_tree(tree: &str, target: &str) -> Vec<String> {
    let mut found = BTreeSet::new();
    let mut chain: Vec<&str> = Vec::new();
    for line in tree.lines() {
        let digits = line.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
        let Ok(depth) = line[..digits].parse::<usize>() else {
            continue;
        };
        let name = line[digits..].split_whitespace().next().unwrap_or_default();
        chain.truncate(depth);
        chain.push(name);
        let forbidden = CORE_FORBIDDEN
            .iter()
            .any(|f| name == *f || name.starts_with(&format!("{f}-")));
        if forbidden {
            found.insert(format!(
                "crates/core/Cargo.toml:1: {CORE_DEPS_RULE}: {target}: {}",
                chain.join(" -> ")
            ));
        }
    }
    found.into_iter().collect()
}

/// The server's layers, from the bottom. A module may name its own layer and the ones below;
/// `http`, `cli` and `serve` are the top, and so is anything at the crate root (`AppState`).
const LAYERS: [&str; 5] = ["platform", "registry", "trust", "officer", "journey"];

const LAYER_RULE: &str = "the server's layers are platform < registry < trust < officer < \
                          journey < (http, cli, serve): a module names only its own layer and \
                          those below";

fn layer_of(name: &str) -> usize {
    LAYERS
        .iter()
        .position(|layer| *layer == name)
        .unwrap_or(LAYERS.len())
}

fn check_layers(server: &[Source]) -> Vec<String> {
    let root = "crates/server/src/";
    // `#[macro_export]` macros live at the crate root but belong to the file defining them.
    let mut macros = BTreeMap::new();
    for file in server {
        let t = &file.tokens;
        for i in 0..t.len() {
            if t[i].is_ident("macro_rules")
                && t.get(i + 1).is_some_and(|n| n.is_punct('!'))
                && let Some(name) = t.get(i + 2)
            {
                macros.insert(name.text.clone(), area_of(&file.path, root));
            }
        }
    }
    let mut found = Vec::new();
    for file in server {
        let area = area_of(&file.path, root);
        let own = layer_of(&area);
        if own == LAYERS.len() {
            continue; // The top may use everything.
        }
        let t = &file.tokens;
        for i in 0..t.len() {
            if !(t[i].is_ident("crate") && is_path_sep(t, i + 1)) {
                continue;
            }
            for (name, line) in crate_path_heads(t, i + 3) {
                if name == "self" || name == "super" {
                    continue;
                }
                let target = macros.get(&name).cloned().unwrap_or_else(|| name.clone());
                if layer_of(&target) > own {
                    found.push(format!(
                        "{}:{line}: {LAYER_RULE}: `{area}` names `crate::{name}`",
                        file.path
                    ));
                }
            }
        }
    }
    found
}

/// `platform` for `crates/server/src/platform/db.rs` and for `crates/server/src/platform.rs`.
fn area_of(path: &str, root: &str) -> String {
    let rest = path.strip_prefix(root).unwrap_or(path);
    let first = rest.split('/').next().unwrap_or_default();
    first.trim_end_matches(".rs").to_owned()
}

/// The first segments after `crate::` at token `start`: one name, or each name of a
/// `{a::b, c}` group (nested groups take their own first name only).
fn crate_path_heads(t: &[Token], start: usize) -> Vec<(String, usize)> {
    match t.get(start) {
        Some(token) if token.kind == Kind::Ident => vec![(token.text.clone(), token.line)],
        Some(token) if token.is_punct('{') => {
            let mut heads = Vec::new();
            let mut depth = 0usize;
            let mut expect_head = true;
            for token in &t[start..] {
                match token.kind {
                    Kind::Punct('{') => {
                        depth += 1;
                        continue;
                    }
                    Kind::Punct('}') => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    Kind::Punct(',') if depth == 1 => expect_head = true,
                    Kind::Ident if depth == 1 && expect_head => {
                        heads.push((token.text.clone(), token.line));
                        expect_head = false;
                    }
                    _ => {}
                }
            }
            heads
        }
        _ => Vec::new(),
    }
}

/// "Every non-2xx API answer is JSON `{code, message, messageEn, field?}` … `message` is Bahasa
/// Indonesia": each refusal a person reads comes in both languages, different from each other.
const REFUSAL_RULE: &str = "every refusal has a Bahasa Indonesia and an English message, both \
                            non-empty and different (ARCHITECTURE.md: `{code, message, \
                            messageEn, field?}`)";

/// The constructors and how many arguments they take; the two messages are the last two.
const REFUSAL_CONSTRUCTORS: [(&str, usize); 2] = [("Refusal", 4), ("ApiErrorBody", 3)];

fn check_refusals(files: &[Source]) -> Vec<String> {
    let mut found = Vec::new();
    for file in files {
        let t = &file.tokens;
        for i in 0..t.len() {
            let Some(&(name, arity)) = REFUSAL_CONSTRUCTORS
                .iter()
                .find(|(name, _)| t[i].is_ident(name))
            else {
                continue;
            };
            let is_call = is_path_sep(t, i + 1)
                && t.get(i + 3).is_some_and(|n| n.is_ident("new"))
                && t.get(i + 4).is_some_and(|n| n.is_punct('('));
            if !is_call {
                continue;
            }
            let at = format!("{}:{}: {REFUSAL_RULE}: `{name}::new`", file.path, t[i].line);
            let Some(args) = call_arguments(t, i + 4) else {
                found.push(format!("{at}: unparseable call (no closing parenthesis)"));
                continue;
            };
            if args.len() != arity {
                found.push(format!(
                    "{at}: unparseable call ({} arguments, expected {arity})",
                    args.len()
                ));
                continue;
            }
            let id = message(args[arity - 2]);
            let en = message(args[arity - 1]);
            if let Some(problem) = message_pair_problem(&id, &en) {
                found.push(format!("{at}: {problem}"));
            }
        }
        found.extend(check_message_functions(file));
    }
    found
}

/// What a message argument is: a text we can read, or an expression naming where it comes
/// from (`err.message_id()`, `&message_en`).
#[derive(Debug, PartialEq)]
enum Message {
    Text(String),
    Expr(String),
}

fn message(arg: &[Token]) -> Message {
    let arg: Vec<&Token> = arg.iter().skip_while(|t| t.is_punct('&')).collect();
    let text = |t: &Token| Message::Text(t.text.clone());
    match arg.as_slice() {
        [s] if s.kind == Kind::Str => text(s),
        // "…".to_owned() / .to_string() / .into()
        [s, dot, method, open, close]
            if s.kind == Kind::Str
                && dot.is_punct('.')
                && ["to_owned", "to_string", "into"].contains(&method.text.as_str())
                && open.is_punct('(')
                && close.is_punct(')') =>
        {
            text(s)
        }
        // format!("…", …): the format string is the text.
        [f, bang, open, s, ..]
            if f.is_ident("format") && bang.is_punct('!') && open.is_punct('(') =>
        {
            if s.kind == Kind::Str {
                text(s)
            } else {
                Message::Expr(join_tokens(&arg))
            }
        }
        _ => Message::Expr(join_tokens(&arg)),
    }
}

fn join_tokens(tokens: &[&Token]) -> String {
    tokens.iter().map(|t| t.text.as_str()).collect()
}

/// `None` when the pair is fine: two texts, both non-empty and different; or two expressions
/// that name an Indonesian and an English source alike (`x.message_id()`, `x.message_en()`),
/// whose texts [`check_message_functions`] checks where they are written.
fn message_pair_problem(id: &Message, en: &Message) -> Option<String> {
    match (id, en) {
        (Message::Text(id), Message::Text(en)) => {
            if id.trim().is_empty() || en.trim().is_empty() {
                Some("a message is empty".to_owned())
            } else if id == en {
                Some(format!("both messages are {id:?}"))
            } else {
                None
            }
        }
        (Message::Expr(id), Message::Expr(en))
            if id.contains("_id") && *en == replace_last(id, "_id", "_en") =>
        {
            None
        }
        (id, en) => Some(format!(
            "cannot tell that both languages are given ({id:?}, {en:?}): pass two literals, \
             two format!s, or an `…_id` / `…_en` pair"
        )),
    }
}

fn replace_last(text: &str, from: &str, to: &str) -> String {
    match text.rfind(from) {
        Some(i) => format!("{}{to}{}", &text[..i], &text[i + from.len()..]),
        None => text.to_owned(),
    }
}

/// `fn message_id` and `fn message_en` in one file (core's error types, the server's): the
/// i-th text of one is the i-th of the other, in the other language.
fn check_message_functions(file: &Source) -> Vec<String> {
    let bodies = |name: &str| -> Vec<(usize, Vec<&Token>)> {
        let t = &file.tokens;
        (0..t.len())
            .filter(|&i| t[i].is_ident("fn") && t.get(i + 1).is_some_and(|n| n.is_ident(name)))
            .filter_map(|i| {
                let open = (i..t.len()).find(|&j| t[j].is_punct('{'))?;
                let close = matching(t, open)?;
                let texts = t[open..close]
                    .iter()
                    .filter(|t| t.kind == Kind::Str)
                    .collect();
                Some((t[i].line, texts))
            })
            .collect()
    };
    let (ids, ens) = (bodies("message_id"), bodies("message_en"));
    let mut found = Vec::new();
    // Only a file with both is a pair (browser's ApiProblem has its Indonesian in `#[error]`).
    if ids.is_empty() || ens.is_empty() {
        return found;
    }
    if ids.len() != ens.len() {
        found.push(format!(
            "{}:1: {REFUSAL_RULE}: {} `fn message_id` but {} `fn message_en`",
            file.path,
            ids.len(),
            ens.len()
        ));
        return found;
    }
    for ((line, id), (_, en)) in ids.iter().zip(&ens) {
        let at = format!("{}:{line}: {REFUSAL_RULE}: `fn message_id`", file.path);
        if id.len() != en.len() {
            found.push(format!(
                "{at}: unparseable: {} texts, but {} in `fn message_en`",
                id.len(),
                en.len()
            ));
            continue;
        }
        for (a, b) in id.iter().zip(en) {
            let (a, b) = (Message::Text(a.text.clone()), Message::Text(b.text.clone()));
            if let Some(problem) = message_pair_problem(&a, &b) {
                found.push(format!("{at}: {problem}"));
            }
        }
    }
    found
}

/// The arguments of the call whose `(` is token `open`, split at top-level commas (a trailing
/// comma adds none); `None` when the parentheses do not balance.
fn call_arguments(t: &[Token], open: usize) -> Option<Vec<&[Token]>> {
    let close = matching(t, open)?;
    let mut args = Vec::new();
    let mut depth = 0usize;
    let mut start = open + 1;
    for j in open + 1..close {
        match t[j].kind {
            Kind::Punct('(' | '[' | '{') => depth += 1,
            Kind::Punct(')' | ']' | '}') => depth = depth.saturating_sub(1),
            Kind::Punct(',') if depth == 0 => {
                args.push(&t[start..j]);
                start = j + 1;
            }
            _ => {}
        }
    }
    if start < close {
        args.push(&t[start..close]);
    }
    Some(args)
}

/// The index of the bracket closing the one at `open`.
fn matching(t: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (j, token) in t.iter().enumerate().skip(open) {
        match token.kind {
            Kind::Punct('(' | '[' | '{') => depth += 1,
            Kind::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
    }
    None
}

fn is_path_sep(t: &[Token], i: usize) -> bool {
    t.get(i).is_some_and(|a| a.is_punct(':')) && t.get(i + 1).is_some_and(|b| b.is_punct(':'))
}

// ---------------------------------------------------------------------------------------
// The tree: which files, read as tokens.

/// One source file: its path from the workspace root (with `/`), its text, and its tokens
/// outside test code (comments dropped).
#[derive(Debug)]
struct Source {
    path: String,
    text: String,
    tokens: Vec<Token>,
}

impl Source {
    fn rust(path: &str, text: &str) -> Self {
        Source {
            path: path.to_owned(),
            text: text.to_owned(),
            tokens: without_test_blocks(lex(text)),
        }
    }

    fn sql(path: &str, text: &str) -> Self {
        Source {
            path: path.to_owned(),
            text: text.to_owned(),
            tokens: Vec::new(),
        }
    }
}

/// The shipped Rust sources under these folders (relative to the workspace root; missing
/// folders are skipped): every `.rs` file except those a parent declares `#[cfg(test)]`.
fn rust_sources(dirs: &[&str]) -> Vec<Source> {
    let root = project_root();
    let mut files = Vec::new();
    for dir in dirs {
        walk(&root.join(dir), "rs", &mut files);
    }
    let sources: Vec<(PathBuf, Source)> = files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let source = Source::rust(&relative(&root, &path), &text);
            (path, source)
        })
        .collect();
    let test_only: BTreeSet<PathBuf> = sources
        .iter()
        .flat_map(|(path, source)| test_module_files(path, &source.text))
        .collect();
    sources
        .into_iter()
        .filter(|(path, _)| !test_only.contains(path))
        .map(|(_, source)| source)
        .collect()
}

fn sql_sources(dir: &str) -> Vec<Source> {
    let root = project_root();
    let mut files = Vec::new();
    walk(&root.join(dir), "sql", &mut files);
    files
        .iter()
        .map(|path| {
            let text =
                std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            Source::sql(&relative(&root, path), &text)
        })
        .collect()
}

fn walk(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, extension, out);
        } else if path.extension().is_some_and(|e| e == extension) {
            out.push(path);
        }
    }
}

fn relative(root: &Path, path: &Path) -> String {
    let rest = path.strip_prefix(root).unwrap_or(path);
    rest.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The files of `#[cfg(test)] mod name;` declarations in the file at `path`.
fn test_module_files(path: &Path, text: &str) -> Vec<PathBuf> {
    let tokens = lex(text);
    let dir = path.parent().unwrap_or(Path::new("."));
    let stem = path.file_stem().unwrap_or_default();
    // `mod x;` in a.rs is a/x.rs; in mod.rs, lib.rs or main.rs it is beside them.
    let beside = stem
        .to_str()
        .is_some_and(|s| ["mod", "lib", "main"].contains(&s));
    let base = if beside {
        dir.to_path_buf()
    } else {
        dir.join(stem)
    };
    test_blocks(&tokens)
        .into_iter()
        .filter_map(|block| match block {
            TestBlock::File(name) => Some(base.join(format!("{name}.rs"))),
            TestBlock::Inline(..) => None,
        })
        .flat_map(|file| {
            let folder = file.with_extension("").join("mod.rs");
            [file, folder]
        })
        .collect()
}

enum TestBlock {
    /// Tokens `start..=end` are a `#[cfg(test)] mod … { … }` block.
    Inline(usize, usize),
    /// `#[cfg(test)] mod name;`
    File(String),
}

/// `#[cfg(test)]`, further attributes, an optional `pub…`, then `mod name` and `{` or `;`.
fn test_blocks(t: &[Token]) -> Vec<TestBlock> {
    let cfg_test = ["#", "[", "cfg", "(", "test", ")", "]"];
    let mut blocks = Vec::new();
    for i in 0..t.len() {
        let matches = cfg_test
            .iter()
            .enumerate()
            .all(|(k, text)| t.get(i + k).is_some_and(|tok| tok.text == *text));
        if !matches {
            continue;
        }
        let mut j = i + cfg_test.len();
        while t.get(j).is_some_and(|tok| tok.is_punct('#')) {
            match matching(t, j + 1) {
                Some(end) => j = end + 1,
                None => break,
            }
        }
        if t.get(j).is_some_and(|tok| tok.is_ident("pub")) {
            j += 1;
            if t.get(j).is_some_and(|tok| tok.is_punct('(')) {
                j = matching(t, j).map_or(j, |end| end + 1);
            }
        }
        if !t.get(j).is_some_and(|tok| tok.is_ident("mod")) {
            continue;
        }
        let Some(name) = t.get(j + 1) else { continue };
        match t.get(j + 2) {
            Some(tok) if tok.is_punct(';') => blocks.push(TestBlock::File(name.text.clone())),
            Some(tok) if tok.is_punct('{') => {
                if let Some(end) = matching(t, j + 2) {
                    blocks.push(TestBlock::Inline(i, end));
                }
            }
            _ => {}
        }
    }
    blocks
}

fn without_test_blocks(tokens: Vec<Token>) -> Vec<Token> {
    let ranges: Vec<(usize, usize)> = test_blocks(&tokens)
        .into_iter()
        .filter_map(|block| match block {
            TestBlock::Inline(start, end) => Some((start, end)),
            TestBlock::File(_) => None,
        })
        .collect();
    tokens
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !ranges.iter().any(|&(s, e)| (s..=e).contains(i)))
        .map(|(_, t)| t)
        .collect()
}

// ---------------------------------------------------------------------------------------
// A small Rust lexer: enough to tell code from comments and string literals, and to follow
// brackets. Strings keep their source text between the quotes (escapes unresolved).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ident,
    /// A string literal of any kind (`"…"`, `r#"…"#`, `b"…"`, `c"…"`).
    Str,
    Char,
    Lifetime,
    Number,
    Punct(char),
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    text: String,
    /// The line it starts on, from 1.
    line: usize,
}

impl Token {
    fn is_ident(&self, name: &str) -> bool {
        self.kind == Kind::Ident && self.text == name
    }

    fn is_ident_prefix(&self, prefix: &str) -> bool {
        self.kind == Kind::Ident && self.text.starts_with(prefix)
    }

    fn is_punct(&self, c: char) -> bool {
        self.kind == Kind::Punct(c)
    }

    /// The line of byte `offset` inside a string token.
    fn line_at(&self, offset: usize) -> usize {
        self.line
            + self.text[..offset.min(self.text.len())]
                .matches('\n')
                .count()
    }
}

fn lex(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let newlines = |from: usize, to: usize| chars[from..to].iter().filter(|&&c| c == '\n').count();
    let is_ident_start = |c: char| c.is_alphabetic() || c == '_';
    let is_ident_char = |c: char| c.is_alphanumeric() || c == '_';
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let start = i;
        let kind;
        let content;
        if c == '\n' {
            line += 1;
            i += 1;
            continue;
        } else if c.is_whitespace() {
            i += 1;
            continue;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        } else if c == '/' && next == Some('*') {
            // Block comments nest.
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            line += newlines(start, i);
            continue;
        } else if let Some((open, hashes)) = raw_string_start(&chars, i) {
            // r"…", r#"…"#, br"…", cr"…": no escapes; ends at `"` and as many `#`.
            i = open + 1;
            let body = i;
            loop {
                if i >= chars.len() {
                    break;
                }
                if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
                    break;
                }
                i += 1;
            }
            content = (body, i.min(chars.len()));
            i = (i + 1 + hashes).min(chars.len());
            kind = Kind::Str;
        } else if c == '"' || ((c == 'b' || c == 'c') && next == Some('"')) {
            i = if c == '"' { i + 1 } else { i + 2 };
            let body = i;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            content = (body, i.min(chars.len()));
            i += 1;
            kind = Kind::Str;
        } else if c == '\'' || (c == 'b' && next == Some('\'')) {
            let quote = if c == '\'' { i } else { i + 1 };
            // 'x', '\n', '\u{…}' are chars; 'a (no closing quote after one char) a lifetime.
            if chars.get(quote + 1) == Some(&'\\') {
                i = quote + 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
                kind = Kind::Char;
            } else if chars.get(quote + 2) == Some(&'\'') {
                i = quote + 3;
                kind = Kind::Char;
            } else {
                i = quote + 1;
                while i < chars.len() && is_ident_char(chars[i]) {
                    i += 1;
                }
                kind = Kind::Lifetime;
            }
            content = (start, i.min(chars.len()));
        } else if is_ident_start(c) {
            while i < chars.len() && is_ident_char(chars[i]) {
                i += 1;
            }
            content = (start, i);
            kind = Kind::Ident;
        } else if c.is_ascii_digit() {
            while i < chars.len() && is_ident_char(chars[i]) {
                i += 1;
            }
            content = (start, i);
            kind = Kind::Number;
        } else {
            i += 1;
            content = (start, i);
            kind = Kind::Punct(c);
        }
        tokens.push(Token {
            kind,
            text: chars[content.0..content.1].iter().collect(),
            line,
        });
        line += newlines(start, i.min(chars.len()));
    }
    tokens
}

/// At a raw string (`r"`, `r#"`, `br#"`, `cr"`): the index of its opening `"` and its `#`s.
fn raw_string_start(chars: &[char], i: usize) -> Option<(usize, usize)> {
    // Not the tail of an identifier such as `bar"`: raw strings start a token.
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return None;
    }
    let mut j = i;
    if matches!(chars.get(j), Some('b' | 'c')) {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let hashes = chars[j..].iter().take_while(|&&c| c == '#').count();
    (chars.get(j + hashes) == Some(&'"')).then_some((j + hashes, hashes))
}

/// Byte offsets of `word` standing alone (not inside a longer name).
fn word_offsets(text: &str, word: &str, case_sensitive: bool) -> Vec<usize> {
    let haystack = if case_sensitive {
        text.to_owned()
    } else {
        text.to_ascii_uppercase()
    };
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    haystack
        .match_indices(word)
        .map(|(i, _)| i)
        .filter(|&i| {
            let before = haystack[..i].chars().next_back();
            let after = haystack[i + word.len()..].chars().next();
            // `ILIKE` counts as a LIKE; `LIKELY` or `unlike` do not.
            let before_ok = before.is_none_or(|c| !is_name(c) || c == 'I' || c == 'i');
            before_ok && after.is_none_or(|c| !is_name(c))
        })
        .collect()
}

/// SQL text with `--` and `/* */` comments blanked (lines kept).
fn strip_sql_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("--") {
            let end = after.find('\n').unwrap_or(after.len());
            out.push_str(&" ".repeat(end + 2));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix("/*") {
            let end = after.find("*/").map_or(after.len(), |e| e + 2);
            out.extend(
                after[..end]
                    .chars()
                    .map(|c| if c == '\n' { '\n' } else { ' ' }),
            );
            out.push_str("  ");
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('\'') {
            // A quoted string: copied as is, so `'--'` is no comment.
            let end = after.find('\'').map_or(after.len(), |e| e + 1);
            out.push('\'');
            out.push_str(&after[..end]);
            rest = &after[end..];
        } else {
            let c = rest.chars().next().unwrap_or_default();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Fails with every violation, one per line.
fn assert_none(rule: &str, violations: Vec<String>) {
    assert!(
        violations.is_empty(),
        "tidy: {rule}: {} violation(s):\n{}",
        violations.len(),
        violations.join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// The tests: each rule on the tree, then on a bad snippet.

const SERVER: &str = "crates/server/src";
const CORE: &str = "crates/core/src";
/// Everything that ships Rust: the service, core, the PWA, the console, the browser helpers.
const SHIPPED: [&str; 5] = [
    "crates/server/src",
    "crates/core/src",
    "src",
    "crates/console/src",
    "crates/browser/src",
];

#[test]
fn no_like_on_region_codes() {
    let rust = rust_sources(&[SERVER]);
    let sql = sql_sources("crates/server/migrations");
    assert!(
        !rust.is_empty() && !sql.is_empty(),
        "no server sources found"
    );
    assert_none("LIKE", check_no_like_on_region_codes(&rust, &sql));
}

#[test]
fn like_check_catches_a_region_like() {
    let rust = [Source::rust(
        "crates/server/src/officer/x.rs",
        "// not LIKE here\nfn f() { q(\"SELECT 1 FROM officers o \\\n WHERE o.region_code LIKE $2\"); \
         q(\"x NOT ILIKE '32%'\"); q(\"SELECT name FROM sqlite_master WHERE tbl_name LIKE 'registry_%'\"); }",
    )];
    let sql = [Source::sql(
        "crates/server/migrations/sqlite/0001.sql",
        "-- LIKE in a comment\nCREATE VIEW v AS SELECT * FROM t\nWHERE lower(code) like '32.%';",
    )];
    let found = check_no_like_on_region_codes(&rust, &sql);
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(
        found[0].starts_with("crates/server/src/officer/x.rs:3: "),
        "{found:#?}"
    );
    assert!(found[0].contains("`o.region_code LIKE $2`"), "{found:#?}");
    assert!(found[1].contains("`x LIKE '32%'`"), "{found:#?}");
    // Allowed only in registry/store.rs, not anywhere.
    assert!(
        found[2].contains("`tbl_name LIKE 'registry_%'`"),
        "{found:#?}"
    );
    assert!(
        found[3].starts_with("crates/server/migrations/sqlite/0001.sql:3: "),
        "{found:#?}"
    );
    assert!(found[3].contains("`(expression) LIKE '32.%'"), "{found:#?}");
    let allowed = [Source::rust(
        "crates/server/src/registry/store.rs",
        "const Q: &str = \"SELECT sql FROM sqlite_master WHERE tbl_name LIKE 'registry_%'\";",
    )];
    assert!(check_no_like_on_region_codes(&allowed, &[]).is_empty());
}

#[test]
fn no_clock_read_outside_the_clock_module() {
    let server = rust_sources(&[SERVER]);
    assert!(
        server.iter().any(|f| f.path == CLOCK_MODULE),
        "{CLOCK_MODULE} is missing: update CLOCK_MODULE in xtask/src/tidy.rs"
    );
    assert_none("clock", check_clock_reads(&server, &rust_sources(&[CORE])));
}

#[test]
fn clock_check_catches_a_clock_read() {
    let server = [
        Source::rust(
            "crates/server/src/journey/x.rs",
            "// SystemTime::now() in a comment\nfn f() { let s = \"Instant::now\"; \
             let t = std::time::SystemTime::now(); }\n#[cfg(test)]\nmod tests { fn g() { \
             Instant::now(); } }",
        ),
        Source::rust(CLOCK_MODULE, "fn unix_now() { SystemTime::now(); }"),
    ];
    let core = [Source::rust(
        "crates/core/src/x.rs",
        "fn f() { let _ = time::OffsetDateTime::now_utc(); chrono::Local::now(); }",
    )];
    let found = check_clock_reads(&server, &core);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(
        found[0].starts_with("crates/server/src/journey/x.rs:2: "),
        "{found:#?}"
    );
    assert!(found[0].contains("`SystemTime`"), "{found:#?}");
    assert!(found[1].contains("`OffsetDateTime`"), "{found:#?}");
    assert!(found[2].contains("`Local`"), "{found:#?}");
}

#[test]
fn no_registration_status_literal_outside_its_enum() {
    let files = rust_sources(&SHIPPED);
    assert!(
        files.iter().any(|f| f.path == STATUS_FILES_ALLOWED[0]),
        "{} is missing: update STATUS_FILES_ALLOWED in xtask/src/tidy.rs",
        STATUS_FILES_ALLOWED[0]
    );
    assert_none("registration status", check_status_literals(&files));
}

#[test]
fn status_check_catches_a_status_literal() {
    let files = [
        Source::rust(
            "crates/server/src/journey/x.rs",
            "fn f() {\n let a = \"approved\";\n q(\"UPDATE registrations SET status = \
             'superseded' \\\n WHERE status = 'pending'\");\n let ok = \"approved later\"; }\n\
             #[cfg(test)]\nmod tests { const S: &str = \"rejected\"; }",
        ),
        Source::rust(
            "crates/core/src/registration_status.rs",
            "fn as_str() { \"pending\" }",
        ),
    ];
    let found = check_status_literals(&files);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(
        found[0].starts_with("crates/server/src/journey/x.rs:2: "),
        "{found:#?}"
    );
    assert!(found[0].contains("Rust literal 'approved'"), "{found:#?}");
    assert!(
        found
            .iter()
            .any(|f| f.contains("x.rs:3: ") && f.contains("SQL literal 'superseded'"))
    );
    assert!(
        found
            .iter()
            .any(|f| f.contains("x.rs:4: ") && f.contains("SQL literal 'pending'"))
    );
}

#[test]
fn core_depends_on_no_io_crates() {
    // The dependency graph as cargo resolves it (offline: only what the lock file names),
    // with every optional feature of core on, for the native build and for the PWA's.
    for target in [None, Some("wasm32-unknown-unknown")] {
        let mut command = crate::cmd::cargo();
        command.args([
            "tree",
            "--offline",
            "-p",
            "ikd-core",
            "-e",
            "normal",
            "--all-features",
            "--prefix",
            "depth",
            "--charset",
            "ascii",
        ]);
        if let Some(target) = target {
            command.args(["--target", target]);
        }
        let output = command.output().expect("cargo tree runs");
        let tree = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && tree.contains("ikd-core"),
            "cargo tree failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let target = target.unwrap_or("native");
        assert_none(
            "core dependencies",
            check_core_dependency_tree(&tree, target),
        );
    }
}

#[test]
fn core_dependency_check_catches_tokio() {
    let tree = "0ikd-core v0.1.0 (/w/crates/core)\n1serde v1.0.0\n1helper v0.1.0\n2tokio v1.40.0\n\
                3mio v1.0.0\n1sqlx-core v0.8.0\n1tokionet v0.1.0\n";
    let found = check_core_dependency_tree(tree, "native");
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(
        found
            .iter()
            .any(|f| f.ends_with("native: ikd-core -> helper -> tokio"))
    );
    assert!(
        found
            .iter()
            .any(|f| f.ends_with("ikd-core -> helper -> tokio -> mio"))
    );
    assert!(found.iter().any(|f| f.ends_with("ikd-core -> sqlx-core")));
}

#[test]
fn server_layers_point_down() {
    let server = rust_sources(&[SERVER]);
    for layer in LAYERS {
        assert!(
            server
                .iter()
                .any(|f| area_of(&f.path, "crates/server/src/") == layer),
            "no server layer `{layer}`: update LAYERS in xtask/src/tidy.rs"
        );
    }
    assert_none("layers", check_layers(&server));
}

#[test]
fn layer_check_catches_an_upward_import() {
    let files = [
        Source::rust(
            "crates/server/src/platform/db.rs",
            "#[macro_export]\nmacro_rules! database_fault { () => {} }",
        ),
        Source::rust(
            "crates/server/src/registry/seed.rs",
            "use crate::platform::db;\nuse crate::{platform::clock,\n trust::keys};\n\
             crate::database_fault!(E);\nfn f() { crate::journey::login::x(); }",
        ),
        Source::rust(
            "crates/server/src/officer.rs",
            "fn f() -> crate::AppState { todo() }",
        ),
        Source::rust("crates/server/src/http/x.rs", "use crate::journey::login;"),
    ];
    let found = check_layers(&files);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(
        found[0].starts_with("crates/server/src/registry/seed.rs:3: "),
        "{found:#?}"
    );
    assert!(
        found[0].contains("`registry` names `crate::trust`"),
        "{found:#?}"
    );
    assert!(found[1].contains("seed.rs:5: ") && found[1].contains("crate::journey"));
    assert!(
        found[2].contains("`officer` names `crate::AppState`"),
        "{found:#?}"
    );
}

#[test]
fn every_refusal_has_both_languages() {
    let files = rust_sources(&SHIPPED);
    let calls = files
        .iter()
        .flat_map(|f| f.tokens.windows(2))
        .filter(|w| w[0].is_ident("Refusal") && w[1].is_punct(':'))
        .count();
    assert!(calls > 0, "no `Refusal::…` found: has the server moved?");
    assert_none("refusals", check_refusals(&files));
}

#[test]
fn refusal_check_catches_a_missing_language() {
    let files = [Source::rust(
        "crates/server/src/journey/x.rs",
        r#"fn f(err: E, text: &str) {
            Refusal::new(S, "a", "Teks (dengan \"kutip\")", "Text (with \"quotes\")");
            Refusal::new(S, "b", &format!("Coba {n}"), &format!("Try {n}"),);
            Refusal::new(S, "c", err.message_id(), err.message_en());
            Refusal::new(S, "d", "", "English only");
            ikd_core::ApiErrorBody::new("e", "Sama", "Sama");
            Refusal::new(S, "f", text, "English");
            Refusal::new(S, "g", "Tiga argumen");
            ApiErrorBody::new("h", f(a, (b, c)), g("x"
        }
        impl E {
            fn message_id(&self) -> &str { match self { A => "Satu", B => "Dua" } }
            fn message_en(&self) -> &str { match self { A => "One", B => "Dua" } }
        }"#,
    )];
    let found = check_refusals(&files);
    assert_eq!(found.len(), 6, "{found:#?}");
    assert!(found[0].contains("x.rs:5: ") && found[0].contains("a message is empty"));
    assert!(found[1].contains("x.rs:6: ") && found[1].contains("both messages are \"Sama\""));
    assert!(found[2].contains("x.rs:7: ") && found[2].contains("cannot tell"));
    assert!(found[3].contains("x.rs:8: ") && found[3].contains("3 arguments, expected 4"));
    assert!(found[4].contains("x.rs:9: ") && found[4].contains("unparseable"));
    assert!(found[5].contains("x.rs:12: ") && found[5].contains("both messages are \"Dua\""));
}

#[test]
fn lexer_keeps_strings_comments_and_lines_apart() {
    let tokens = lex(
        "/* a /* nested */ \"no\" */ let s = r#\"raw \" LIKE\"#; // \"no\"\nlet c = '\"'; \
         let l: &'a str = b\"x\\\"y\";\n'\\n'",
    );
    let strings: Vec<(&str, usize)> = tokens
        .iter()
        .filter(|t| t.kind == Kind::Str)
        .map(|t| (t.text.as_str(), t.line))
        .collect();
    assert_eq!(strings, [("raw \" LIKE", 1), ("x\\\"y", 2)]);
    assert!(
        tokens
            .iter()
            .any(|t| t.kind == Kind::Lifetime && t.text == "'a")
    );
    assert_eq!(
        tokens.last().map(|t| (t.kind, t.line)),
        Some((Kind::Char, 3))
    );
}
