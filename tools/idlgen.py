#!/usr/bin/env python3
"""
idlgen.py - Mica's interface compiler.

Reads one interface definition (idl/NAME.idl; the format is in docs/idl.md)
and writes the C stubs for it into a directory:

  NAME_proto.h    labels, constants, and per method a struct of the request's
                  values (NAME_METHOD_in) and of the reply's (NAME_METHOD_out)
  NAME_client.h   one function per method: marshal, call, unmarshal
  NAME_client.c
  NAME_server.h   a struct of callbacks and NAME_dispatch(), which checks a
  NAME_server.c   received message completely before a callback sees it

Usage:
  idlgen.py [--abi HEADER] --out DIR FILE.idl   generate the stubs of FILE.idl
  idlgen.py [--abi HEADER] --check FILE.idl...  only parse, and check that the
                                                interfaces' labels do not overlap

Bad input gets "FILE:LINE: what is wrong" on stderr and exit status 1.  The
names of errors, rights and object kinds come from the shared ABI header
(kernel/include/abi/mica/syscall.h), so the IDL accepts exactly what the
kernel defines.
"""
import argparse
import os
import re
import sys
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_ABI = os.path.join(HERE, "..", "kernel", "include", "abi", "mica", "syscall.h")

REG_WORDS = 4  # message words that travel in registers
BUF_WORDS = 120  # MICA_IPC_WORDS: words in the IPC buffer
BUF_HANDLES = 4  # MICA_IPC_HANDLES
WORD_BYTES = 8

# Scalar types: C type, and the C condition (on word {w}) that rejects a bad value.
SCALARS = {
    "u8": ("uint8_t", "{w} > UINT8_MAX"),
    "u16": ("uint16_t", "{w} > UINT16_MAX"),
    "u32": ("uint32_t", "{w} > UINT32_MAX"),
    "u64": ("uint64_t", None),
    "i32": ("int32_t", "!mica_idl_fits_i32({w})"),
    "i64": ("int64_t", None),
    "bool": ("bool", "{w} > 1"),
}

# Errors every stub may produce itself, whatever the interface declares.
STUB_ERRORS = ["EINVAL", "EBADF", "EACCES", "ENOSYS", "EIO"]

# Names the generated C code uses itself, and C's keywords.
RESERVED = {"ep", "ipc", "in", "out", "msg", "err", "ctx", "srv", "pos", "words", "client", "attempt"}
RESERVED |= {"memcpy", "memset", "strlen"}
C_KEYWORDS = set(
    """auto break case char const continue default do double else enum extern float for goto if
    inline int long register restrict return short signed sizeof static struct switch typedef
    union unsigned void volatile while bool true false""".split()
)


class IdlError(Exception):
    """An error in an .idl file, reported as FILE:LINE: message."""

    def __init__(self, path, line, message):
        super().__init__(f"{path}:{line}: {message}")


# ---------------------------------------------------------------------------
# The ABI: which errors, rights and object kinds exist.


class Abi:
    def __init__(self, path):
        with open(path) as f:
            text = f.read()
        self.errors = dict(re.findall(r"#define\s+MICA_(E[A-Z]+)\s+(\d+)", text))
        self.rights = re.findall(r"#define\s+MICA_RIGHT_([A-Z]+)\s", text)
        self.kinds = [k.lower() for k in re.findall(r"#define\s+MICA_OBJ_([A-Z]+)\s", text)]
        self.reserved_labels = {
            int(v, 0): n
            for n, v in re.findall(r"#define\s+(MICA_MSG_[A-Z]+)\s+(0x[0-9a-fA-F]+)", text)
        }
        if not self.errors or not self.rights or not self.kinds:
            raise SystemExit(f"{path}: no MICA_E*, MICA_RIGHT_* or MICA_OBJ_* names found")


# ---------------------------------------------------------------------------
# The model of an interface.


class Type:
    """u8..bool, handle<kind, rights>, bytes[N] or str[N]."""

    def __init__(self, name, bound=0, kind=None, rights=()):
        self.name = name
        self.bound = bound  # N of bytes[N] and str[N]
        self.kind = kind  # object kind of a handle ("any" for every kind)
        self.rights = list(rights)  # rights a handle must carry

    @property
    def is_handle(self):
        return self.name == "handle"

    @property
    def is_blob(self):
        return self.name in ("bytes", "str")

    def __str__(self):
        if self.is_handle:
            return f"handle<{self.kind}{', ' + '|'.join(self.rights) if self.rights else ''}>"
        if self.is_blob:
            return f"{self.name}[{self.bound}]"
        return self.name


class Param:
    def __init__(self, name, type_, line):
        self.name, self.type, self.line = name, type_, line


class Method:
    def __init__(self, name, line, doc):
        self.name, self.line, self.doc = name, line, doc
        self.ins, self.outs = [], []
        self.label = 0


class Interface:
    def __init__(self, name, base, line, doc):
        self.name, self.base, self.line, self.doc = name, base, line, doc
        self.errors, self.consts, self.methods = [], [], []

    def labels(self):
        return range(self.base, self.base + len(self.methods))


# ---------------------------------------------------------------------------
# Reading the file: tokens, then a recursive-descent parser.

TOKEN_RE = re.compile(
    r"""(?P<space>[ \t\r]+)|(?P<newline>\n)|(?P<comment>\#[^\n]*)
      |(?P<number>0[xX][0-9a-fA-F]+|[0-9]+)|(?P<ident>[A-Za-z_][A-Za-z0-9_]*)
      |(?P<punct>->|[{}()<>\[\],;|=])""",
    re.X,
)


class Token:
    def __init__(self, kind, text, line):
        self.kind, self.text, self.line = kind, text, line

    def describe(self):
        return "end of file" if self.kind == "eof" else f"'{self.text}'"


def tokenize(path, text):
    """Tokens, and the comments that stand alone on their lines (line -> text)."""
    tokens, comments = [], {}
    line, pos, line_start = 1, 0, True
    while pos < len(text):
        m = TOKEN_RE.match(text, pos)
        if not m:
            raise IdlError(path, line, f"unexpected character '{text[pos]}'")
        kind, value = m.lastgroup, m.group()
        pos = m.end()
        if kind == "newline":
            line, line_start = line + 1, True
        elif kind == "comment":
            if line_start:
                comments[line] = value[1:].strip()
        elif kind != "space":
            tokens.append(Token(kind, value, line))
            line_start = False
    tokens.append(Token("eof", "", line))
    return tokens, comments


class Parser:
    def __init__(self, path, text, abi):
        self.path, self.abi = path, abi
        self.tokens, self.comments = tokenize(path, text)
        self.i = 0
        self.consts = {}  # the constants defined so far, for bounds

    # -- token helpers --
    def peek(self):
        return self.tokens[self.i]

    def error(self, message, line=None):
        return IdlError(self.path, self.peek().line if line is None else line, message)

    def take(self, text=None, kind=None, what=None):
        """The next token, which must have this text or kind; 'what' names it for errors."""
        tok = self.peek()
        if (text is not None and tok.text != text) or (kind is not None and tok.kind != kind):
            raise self.error(f"expected {what or repr(text)}, found {tok.describe()}")
        self.i += 1
        return tok

    def accept(self, text):
        if self.peek().text == text and self.peek().kind != "eof":
            self.i += 1
            return True
        return False

    def doc_before(self, line):
        """The comment lines directly above `line`, as one documentation text."""
        lines = []
        while line - 1 in self.comments:
            line -= 1
            lines.insert(0, self.comments[line])
        return lines

    def number(self, what):
        tok = self.take(kind="number", what=what)
        return int(tok.text, 0)

    # -- grammar --
    def parse(self):
        """file := 'interface' NAME NUMBER '{' item* '}'"""
        tok = self.take("interface", what="'interface'")
        name = self.take(kind="ident", what="the interface's name").text
        base = self.number("the interface's label base (a number)")
        iface = Interface(name, base, tok.line, self.doc_before(tok.line))
        self.take("{")
        while not self.accept("}"):
            self.item(iface)
        if self.peek().kind != "eof":
            found = self.peek().describe()
            raise self.error(f"expected end of file after the interface, found {found}")
        return iface

    def item(self, iface):
        """item := 'error' NAME (',' NAME)* ';' | 'const' NAME '=' NUMBER ';' | method"""
        tok = self.peek()
        if self.accept("error"):
            iface.errors.append((self.take(kind="ident", what="an error name").text, tok.line))
            while self.accept(","):
                iface.errors.append((self.take(kind="ident", what="an error name").text, tok.line))
            self.take(";")
        elif self.accept("const"):
            name = self.take(kind="ident", what="the constant's name").text
            self.take("=")
            value = self.number("a number")
            iface.consts.append((name, value, tok.line, self.doc_before(tok.line)))
            self.consts[name] = value
            self.take(";")
        elif self.accept("method"):
            iface.methods.append(self.method(tok.line))
        else:
            raise self.error(f"expected 'method', 'error', 'const' or '}}', found {tok.describe()}")

    def method(self, line):
        """method := 'method' NAME '(' params ')' ['->' '(' params ')'] ';'"""
        name = self.take(kind="ident", what="the method's name").text
        m = Method(name, line, self.doc_before(line))
        m.ins = self.params()
        if self.accept("->"):
            m.outs = self.params()
        self.take(";", what="';' after the method")
        return m

    def params(self):
        """params := '(' [param (',' param)*] ')';  param := type NAME"""
        self.take("(")
        params = []
        if self.accept(")"):
            return params
        while True:
            line = self.peek().line
            type_ = self.type()
            params.append(Param(self.take(kind="ident", what="a parameter name").text, type_, line))
            if self.accept(")"):
                return params
            self.take(",", what="',' or ')'")

    def type(self):
        tok = self.take(kind="ident", what="a type")
        if tok.text in SCALARS:
            return Type(tok.text)
        if tok.text in ("bytes", "str"):
            self.take("[", what=f"'[' and a bound after {tok.text}")
            bound = self.bound()
            self.take("]")
            return Type(tok.text, bound=bound)
        if tok.text == "handle":
            return self.handle_type()
        known = ", ".join(list(SCALARS) + ["bytes[N]", "str[N]", "handle<kind, rights>"])
        raise self.error(f"unknown type '{tok.text}' (known: {known})", tok.line)

    def bound(self):
        """The N of bytes[N] or str[N]: a number, or a constant defined above."""
        tok = self.peek()
        if tok.kind != "ident":
            return self.number("the bound (a number of bytes or a constant)")
        self.i += 1
        if tok.text not in self.consts:
            raise self.error(f"'{tok.text}' is no constant defined above", tok.line)
        return self.consts[tok.text]

    def handle_type(self):
        """handle<kind> or handle<kind, RIGHT|RIGHT...>"""
        self.take("<", what="'<' after handle")
        kinds = ["any"] + self.abi.kinds
        tok = self.take(kind="ident", what="a handle kind")
        if tok.text not in kinds:
            known = ", ".join(kinds)
            raise self.error(f"unknown handle kind '{tok.text}' (known: {known})", tok.line)
        rights = []
        if self.accept(","):
            rights.append(self.right())
            while self.accept("|"):
                rights.append(self.right())
        self.take(">", what="'>' or ','")
        return Type("handle", kind=tok.text, rights=rights)

    def right(self):
        tok = self.take(kind="ident", what="a right")
        if tok.text not in self.abi.rights:
            known = ", ".join(self.abi.rights)
            raise self.error(f"unknown right '{tok.text}' (known: {known})", tok.line)
        return tok.text


# ---------------------------------------------------------------------------
# Checking what the grammar cannot: names, bounds, and that messages fit.


def check(path, iface, abi):
    err = lambda line, msg: IdlError(path, line, msg)
    stem = os.path.splitext(os.path.basename(path))[0]
    if iface.name != stem:
        raise err(iface.line, f"interface '{iface.name}' must be in a file named {iface.name}.idl")
    check_name(path, iface.name, iface.line, "interface")
    if not iface.methods:
        raise err(iface.line, f"interface '{iface.name}' has no methods")
    last = iface.base + len(iface.methods) - 1
    if last > 0xFFFFFFFF:
        raise err(iface.line, f"labels {iface.base:#x}..{last:#x} do not fit in 32 bits")
    for label, name in abi.reserved_labels.items():
        if label in iface.labels():
            raise err(iface.line, f"labels {iface.base:#x}..{last:#x} include {name} ({label:#x})")
    seen = set()
    for name, line in iface.errors:
        if name not in abi.errors:
            raise err(line, f"unknown error '{name}' (known: {', '.join(abi.errors)})")
        if name in seen:
            raise err(line, f"error '{name}' declared twice")
        seen.add(name)
    check_consts(path, iface)
    names = set()
    for index, m in enumerate(iface.methods):
        check_name(path, m.name, m.line, "method")
        if m.name in names:
            raise err(m.line, f"method '{m.name}' defined twice")
        names.add(m.name)
        m.label = iface.base + index
        check_params(path, m)
        check_fits(path, m, "request", m.ins)
        check_fits(path, m, "reply", m.outs)


def check_name(path, name, line, what):
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise IdlError(path, line, f"{what} name '{name}' must be lower case: letters, digits, '_'")
    if name in C_KEYWORDS:
        raise IdlError(path, line, f"{what} name '{name}' is a C keyword")


def check_consts(path, iface):
    seen = set()
    for name, value, line, _ in iface.consts:
        if name.startswith("LABEL_"):
            raise IdlError(path, line, f"constant name '{name}' clashes with the label names")
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
            msg = f"constant name '{name}' must be upper case: letters, digits, '_'"
            raise IdlError(path, line, msg)
        if name in seen:
            raise IdlError(path, line, f"constant '{name}' defined twice")
        if value > 0xFFFFFFFFFFFFFFFF:
            raise IdlError(path, line, f"constant '{name}' does not fit in 64 bits")
        seen.add(name)


def check_params(path, m):
    """Names are unique across request and reply (they become C parameters of one function)."""
    seen = set()
    for p in m.ins + m.outs:
        check_name(path, p.name, p.line, "parameter")
        names = [p.name] + ([p.name + "_len"] if p.type.name == "bytes" else [])
        names += [p.name + "_copy"] if p.type.is_handle else []  # in the recovering stub
        for n in names:
            if n in RESERVED:
                msg = f"parameter name '{n}' is reserved for the generated code"
                raise IdlError(path, p.line, msg)
            if n in seen:
                raise IdlError(path, p.line, f"parameter '{n}' appears twice in method '{m.name}'")
            seen.add(n)
        if p.type.is_blob and not 1 <= p.type.bound <= BUF_WORDS * WORD_BYTES:
            raise IdlError(
                path, p.line, f"bound of '{p.name}' must be 1 to {BUF_WORDS * WORD_BYTES} bytes"
            )


def blob_words(nbytes):
    """IPC-buffer words that nbytes of a string or byte array take."""
    return (nbytes + WORD_BYTES - 1) // WORD_BYTES


def check_fits(path, m, what, params):
    """The largest message must fit: 4 register words + 120 buffer words, 4 handles."""
    lay = Layout(params)
    if len(lay.handles) > BUF_HANDLES:
        raise IdlError(
            path,
            m.line,
            f"{what} of '{m.name}' carries {len(lay.handles)} handles; at most {BUF_HANDLES} fit",
        )
    need = lay.fixed_buf_words + sum(blob_words(p.type.bound) for p in lay.blobs)
    if need > BUF_WORDS:
        raise IdlError(
            path,
            m.line,
            f"{what} of '{m.name}' needs up to {need} IPC-buffer words; at most {BUF_WORDS} fit",
        )


def parse_file(path, abi):
    with open(path) as f:
        text = f.read()
    iface = Parser(path, text, abi).parse()
    check(path, iface, abi)
    return iface


def check_overlaps(ifaces):
    """Two interfaces that could share an endpoint must not share a label."""
    for i, a in enumerate(ifaces):
        for b in ifaces[i + 1 :]:
            if a.iface.base <= b.iface.labels()[-1] and b.iface.base <= a.iface.labels()[-1]:
                raise IdlError(
                    b.path,
                    b.iface.line,
                    f"labels of '{b.iface.name}' overlap those of '{a.iface.name}' ({a.path})",
                )


# ---------------------------------------------------------------------------
# The wire layout of one message (docs/idl.md, "Messages on the wire").


class Layout:
    """
    Where each value of a request or reply travels.  Scalars, and the length
    of each string or byte array, take one word each, in order: the first four
    in the registers w[0..3], the rest at the start of the IPC buffer.  The
    strings' and byte arrays' bytes follow in the buffer, each padded to whole
    words.  Handles go to the buffer's handle slots in order.
    """

    def __init__(self, params):
        self.words = [p for p in params if not p.type.is_handle]  # one word each
        self.blobs = [p for p in params if p.type.is_blob]
        self.handles = [p for p in params if p.type.is_handle]
        self.fixed_buf_words = max(0, len(self.words) - REG_WORDS)

    def uses_buffer(self):
        return bool(self.handles or self.blobs or self.fixed_buf_words)

    def place(self, p):
        """The C lvalue of p's word (a scalar's value, or a string's or array's length)."""
        i = self.words.index(p)
        return f"msg->w[{i}]" if i < REG_WORDS else f"ipc->words[{i - REG_WORDS}]"

    def slot(self, p):
        return f"ipc->handles[{self.handles.index(p)}]"

    def describe(self):
        """One line per value, for the comment above the structs."""
        parts = [f"{self.place(p)} {p.name}" + (" length" if p.type.is_blob else "")
                 for p in self.words]
        if self.blobs:
            parts.append(
                "then in ipc->words[" + str(self.fixed_buf_words) + "...] the bytes of "
                + ", ".join(p.name for p in self.blobs)
            )
        parts += [f"{self.slot(p)} {p.name}" for p in self.handles]
        return parts or ["nothing"]


# ---------------------------------------------------------------------------
# C generation helpers.


def wrap_call(indent, head, args, tail=""):
    """head(args)tail as C lines of at most 100 columns, the way clang-format packs them:
    as many arguments per line as fit, continuation lines aligned after the '('."""
    first = f"{indent}{head}("
    whole = first + ", ".join(args) + ")" + tail
    if len(whole) > 100 and " = " in head:
        # An assignment breaks after '=' if the call then fits on one line.
        lhs, rhs = head.split(" = ", 1)
        rest = f"{indent}    {rhs}(" + ", ".join(args) + ")" + tail
        if len(rest) <= 100:
            return [f"{indent}{lhs} =", rest]
    if args:
        pieces = [a + ", " for a in args[:-1]] + [args[-1] + ")" + tail]
    else:
        pieces = [")" + tail]
    lines, cur, empty = [], first, True
    for piece in pieces:
        if not empty and len(cur) + len(piece.rstrip()) > 100:
            lines.append(cur.rstrip())
            cur = " " * len(first)
        cur += piece
        empty = False
    lines.append(cur)
    return lines


def align_macros(lines):
    """#define NAME VALUE lines with the values in one column, as clang-format aligns them."""
    width = max(len(l.split()[1]) for l in lines)
    return [f"#define {l.split()[1]:<{width}} {' '.join(l.split()[2:])}" for l in lines]


def align_comments(lines):
    """Lines 'code /* comment */' with the comments in one column."""
    parts = [l.split(" /* ", 1) if " /* " in l else [l, None] for l in lines]
    width = max(len(code) for code, c in parts if c is not None) if any(c for _, c in parts) else 0
    return [f"{code:<{width}} /* {c}" if c is not None else code for code, c in parts]


def plural(n, noun):
    return f"no {noun}s" if n == 0 else f"1 {noun}" if n == 1 else f"{n} {noun}s"


def ctype(t):
    if t.is_handle:
        return "mica_handle_t"
    return SCALARS[t.name][0]


def rights_expr(t):
    return " | ".join(f"MICA_RIGHT_{r}" for r in t.rights) or "0"


def kind_expr(t):
    return "0" if t.kind == "any" else f"MICA_OBJ_{t.kind.upper()}"


def struct_fields(params):
    lines = []
    for p in params:
        if p.type.name == "bytes":
            lines += [f"    uint8_t {p.name}[{p.type.bound}];", f"    uint32_t {p.name}_len;"]
        elif p.type.name == "str":
            lines.append(f"    char {p.name}[{p.type.bound}]; /* NUL-terminated */")
        else:
            lines.append(f"    {ctype(p.type)} {p.name}; /* {p.type} */")
    return align_comments(lines)


def comment_block(lines, indent=""):
    """A C comment; lines longer than 100 columns continue, indented, on the next."""
    if not lines:
        return []
    if len(lines) == 1 and len(f"{indent}/* {lines[0]} */") <= 100:
        return [f"{indent}/* {lines[0]} */"]
    width = 100 - len(indent) - 3
    out = [f"{indent}/*"]
    for line in lines:
        wrapped = textwrap.wrap(line, width=width, subsequent_indent="    ", break_on_hyphens=False)
        out += [f"{indent} * {w}".rstrip() for w in wrapped or [""]]
    return out + [f"{indent} */"]


def file_header(fname, iface, src, purpose):
    text = textwrap.wrap(f"{fname} - {purpose}", width=96)
    return [
        "/*",
        *[f" * {line}" for line in text],
        " *",
        f" * Generated by tools/idlgen.py from {src}; do not edit.  docs/idl.md",
        " * explains the interface language, the wire format and this API.",
        " */",
    ]


def signature(iface, m):
    """The client function's prototype lines (without the ';')."""
    return wrap_call("", f"int {iface.name}_{m.name}", signature_args(m))


def signature_args(m):
    args = ["mica_handle_t ep", "struct mica_ipc_buffer *ipc"]
    for p in m.ins:
        if p.type.name == "bytes":
            args += [f"const void *{p.name}", f"uint32_t {p.name}_len"]
        elif p.type.name == "str":
            args.append(f"const char *{p.name}")
        else:
            args.append(f"{ctype(p.type)} {p.name}")
    for p in m.outs:
        if p.type.name == "bytes":
            args += [f"uint8_t {p.name}[{p.type.bound}]", f"uint32_t *{p.name}_len"]
        elif p.type.name == "str":
            args.append(f"char {p.name}[{p.type.bound}]")
        else:
            args.append(f"{ctype(p.type)} *{p.name}")
    return args


def method_summary(m):
    ins = ", ".join(f"{p.type} {p.name}" for p in m.ins)
    outs = ", ".join(f"{p.type} {p.name}" for p in m.outs)
    return f"{m.name}({ins})" + (f" -> ({outs})" if m.outs else "")


# ---------------------------------------------------------------------------
# NAME_proto.h


def gen_proto(iface, src):
    up = iface.name.upper()
    out = file_header(
        f"{iface.name}_proto.h",
        iface,
        src,
        f"the messages of interface {iface.name}: labels, constants, and the values of each"
        " method's request and reply.",
    )
    out += ["", f"#ifndef {up}_PROTO_H", f"#define {up}_PROTO_H", ""]
    out += ["#include <stdbool.h>", "#include <stdint.h>", '#include "mica.h"', ""]
    out += comment_block(iface.doc)
    end = iface.base + len(iface.methods)
    out += align_macros(
        [f"#define {up}_LABEL_BASE {iface.base:#x}u", f"#define {up}_LABEL_END {end:#x}u"]
    )
    out[-1] += " /* one past the last method's label */"
    out.append("")
    out += ["/* The label of each method's request.  A reply's label is 0 or an error number. */"]
    out += align_macros(
        [f"#define {up}_LABEL_{m.name.upper()} {m.label:#x}u" for m in iface.methods]
    )
    if iface.consts:
        out.append("")
        run = []  # consecutive #defines, aligned together
        for name, value, _, doc in iface.consts:
            if doc and run:
                out += align_macros(run)
                run = []
            out += comment_block(doc)
            run.append(f"#define {up}_{name} {value}")
        out += align_macros(run)
    errors = ", ".join(n for n, _ in iface.errors if n not in STUB_ERRORS) or "none"
    out += ["", f"/* Errors the methods may return besides {', '.join(STUB_ERRORS)}: {errors}. */"]
    for m in iface.methods:
        out += ["", *proto_method(iface, m)]
    out += ["", "#endif", ""]
    return "\n".join(out)


def proto_method(iface, m):
    lay_in, lay_out = Layout(m.ins), Layout(m.outs)
    lines = [method_summary(m)] + m.doc
    lines += [
        "request: " + "; ".join(lay_in.describe()),
        "reply:   " + "; ".join(lay_out.describe()),
    ]
    out = comment_block(lines)
    for suffix, params in (("in", m.ins), ("out", m.outs)):
        if params:
            out += [f"struct {iface.name}_{m.name}_{suffix} {{", *struct_fields(params), "};"]
    return out


# ---------------------------------------------------------------------------
# Encoding and decoding one message (used by both the client and the server).


def gen_encoder(iface, m, direction):
    """static int encode_M_request/reply(const struct ..._in/out *s, msg, ipc)."""
    params = m.ins if direction == "request" else m.outs
    lay = Layout(params)
    label = f"{iface.name.upper()}_LABEL_{m.name.upper()}" if direction == "request" else "0"
    sname = "in" if direction == "request" else "out"
    args = []
    if params:
        args.append(f"const struct {iface.name}_{m.name}_{sname} *{sname}")
    args += ["struct mica_msg *msg", "struct mica_ipc_buffer *ipc"]
    body = []
    if not lay.uses_buffer():
        body.append("    (void)ipc; /* everything fits in registers */")
    lens = [p for p in lay.blobs if p.type.name == "str"]
    for p in lens:
        body.append(f"    uint32_t {p.name}_len;")
    if lay.blobs:
        body.append(f"    unsigned pos = {lay.fixed_buf_words}; /* buffer words in use */")
    if lay.blobs:
        body.append("")
        body.append(
            "    /* Each string ends within its bound, each byte count is within its own. */"
        )
    for p in lay.blobs:
        if p.type.name == "str":
            call = [f"{sname}->{p.name}", f"sizeof {sname}->{p.name}", f"&{p.name}_len"]
            body += wrap_call("    ", "if (mica_idl_str_len", call, " < 0)")
            body.append("        return -MICA_EINVAL;")
        else:
            body += [
                f"    if ({sname}->{p.name}_len > sizeof {sname}->{p.name})",
                "        return -MICA_EINVAL;",
            ]
    if direction == "reply" and lay.handles:
        body += ["    int err;", ""]
        body.append("    /* Handles must be what the interface promises, and movable. */")
        for p in lay.handles:
            rights = rights_expr(p.type) + " | MICA_RIGHT_TRANSFER"
            call = [f"{sname}->{p.name}", kind_expr(p.type), rights]
            body += wrap_call("    ", "err = mica_idl_check_handle", call, ";")
            body += ["    if (err < 0)", "        return err;"]
    if body:
        body.append("")
    if lay.words:
        body.append("    /* Values and lengths in order: registers, then the IPC buffer. */")
    body.append("    mica_idl_clear(msg);")
    for p in lay.words:
        if p.type.is_blob:
            src = f"{sname}->{p.name}_len" if p.type.name == "bytes" else f"{p.name}_len"
        elif p.type.name == "i32":
            src = f"(uint64_t)(int64_t){sname}->{p.name}"
        elif p.type.name == "i64":
            src = f"(uint64_t){sname}->{p.name}"
        else:
            src = f"{sname}->{p.name}"
        body.append(f"    {lay.place(p)} = {src};")
    if lay.blobs:
        body.append("    /* The bytes of strings and byte arrays, each padded to whole words. */")
    for p in lay.blobs:
        n = f"{sname}->{p.name}_len" if p.type.name == "bytes" else f"{p.name}_len"
        body.append(f"    mica_idl_put_blob(ipc, &pos, {sname}->{p.name}, {n});")
    if lay.handles:
        body.append("    /* The handles, in their slots of the IPC buffer. */")
    for p in lay.handles:
        body.append(f"    {lay.slot(p)} = {sname}->{p.name};")
    words = "pos" if lay.blobs else str(lay.fixed_buf_words)
    body.append(f"    msg->tag = mica_tag({label}, {words}, {len(lay.handles)});")
    body.append("    return 0;")
    head = comment_block([f"Write the {direction} of {m.name} into msg and the IPC buffer."])
    return head + wrap_call("", f"static int encode_{m.name}_{direction}", args) + ["{", *body, "}"]


def gen_decoder(iface, m, direction):
    """static int decode_M_request/reply(msg, ipc, struct ..._in/out *s): check, then copy."""
    params = m.ins if direction == "request" else m.outs
    lay = Layout(params)
    sname = "in" if direction == "request" else "out"
    args = ["const struct mica_msg *msg", "const struct mica_ipc_buffer *ipc"]
    if params:
        args.append(f"struct {iface.name}_{m.name}_{sname} *{sname}")
    body = []
    if not lay.uses_buffer():
        body.append("    (void)ipc; /* everything fits in registers */")
    if lay.blobs:
        body += [
            "    unsigned words = mica_tag_words(msg->tag);",
            f"    unsigned pos = {lay.fixed_buf_words};",
        ]
    if lay.blobs or lay.handles:
        body.append("    int err;")
    if body:
        body.append("")
    nh, nw = len(lay.handles), lay.fixed_buf_words
    if lay.blobs:
        shape = f"{plural(nh, 'handle')}, at least {plural(nw, 'word')} in the IPC buffer"
        words_bad = f" || words < {nw}" if nw else ""
    else:
        shape = f"{plural(nh, 'handle')}, {plural(nw, 'word')} in the IPC buffer"
        words_bad = f" || mica_tag_words(msg->tag) != {nw}"
    body += [
        f"    /* The shape: {shape}. */",
        f"    if (mica_tag_handles(msg->tag) != {nh}{words_bad})",
        "        return -MICA_EINVAL;",
    ]
    checks = [(p, SCALARS[p.type.name][1]) for p in lay.words if not p.type.is_blob]
    checks = [(p, c.format(w=lay.place(p))) for p, c in checks if c]
    if checks:
        body.append("    /* Every value within the range of its type. */")
        for p, cond in checks:
            body += [f"    if ({cond}) /* {p.name}: {p.type} */", "        return -MICA_EINVAL;"]
    for p in lay.words:
        if p.type.is_blob:
            continue
        t = ctype(p.type)
        if p.type.name == "i32":
            body.append(f"    {sname}->{p.name} = (int32_t)(int64_t){lay.place(p)};")
        elif p.type.name == "i64":
            body.append(f"    {sname}->{p.name} = (int64_t){lay.place(p)};")
        elif p.type.name == "bool":
            body.append(f"    {sname}->{p.name} = {lay.place(p)} != 0;")
        elif p.type.name == "u64":
            body.append(f"    {sname}->{p.name} = {lay.place(p)};")
        else:
            body.append(f"    {sname}->{p.name} = ({t}){lay.place(p)};")
    if lay.blobs:
        body.append("    /* Strings and byte arrays: within their bounds and the message. */")
    for p in lay.blobs:
        fn = "mica_idl_get_str" if p.type.name == "str" else "mica_idl_get_blob"
        dst = f"{sname}->{p.name}"
        call = ["ipc", "words", "&pos", lay.place(p), dst, f"sizeof {dst}"]
        body += wrap_call("    ", f"err = {fn}", call, ";")
        body += ["    if (err < 0)", "        return err;"]
        if p.type.name == "bytes":
            body.append(f"    {sname}->{p.name}_len = (uint32_t){lay.place(p)};")
    if lay.blobs:
        body += ["    if (pos != words) /* words left over */", "        return -MICA_EINVAL;"]
    if lay.handles:
        body.append("    /* Each handle of the kind, and with the rights, the interface names. */")
    for p in lay.handles:
        call = [lay.slot(p), kind_expr(p.type), rights_expr(p.type)]
        body += wrap_call("    ", "err = mica_idl_check_handle", call, ";")
        body += [
            "    if (err < 0)",
            "        return err;",
            f"    {sname}->{p.name} = {lay.slot(p)};",
        ]
    body.append("    return 0;")
    head = comment_block(
        [f"Check a received {direction} of {m.name} and copy its values out: 0 or -MICA_E*."]
    )
    return head + wrap_call("", f"static int decode_{m.name}_{direction}", args) + ["{", *body, "}"]


def gen_error_allowed(iface):
    names = STUB_ERRORS + [n for n, _ in iface.errors if n not in STUB_ERRORS]
    cases = [f"    case -MICA_{n}:" for n in names]
    return comment_block([f"Is err one of the errors interface {iface.name} may return?"]) + [
        "static bool error_allowed(int err)",
        "{",
        "    switch (err) {",
        *cases,
        "        return true;",
        "    default:",
        "        return false;",
        "    }",
        "}",
    ]


# ---------------------------------------------------------------------------
# NAME_client.h and NAME_client.c


def client_doc(iface, m):
    lines = [method_summary(m)] + m.doc
    lines.append("Returns 0, an error the server replied, or the error of the call itself.")
    if any(p.type.is_handle for p in m.ins):
        lines.append("Handles are moved to the server; dup one first to keep it.")
    return lines


def signature_r_args(m):
    """The recovering stub's parameters: a struct mica_client in place of ep and ipc."""
    return ["struct mica_client *client"] + signature_args(m)[2:]


def client_r_doc(iface, m):
    return [
        f"{m.name}_r: {iface.name}_{m.name}() through client, re-issued when the server died holding",
        "the request (-MICA_EPIPE) and was restarted (lib/mica/client.h).  Handles stay the",
        "caller's: each attempt sends a duplicate, so they need MICA_RIGHT_DUP.",
    ]


def gen_client_h(iface, src):
    up = iface.name.upper()
    out = file_header(
        f"{iface.name}_client.h",
        iface,
        src,
        f"the client side of interface {iface.name}: one function per method that sends the"
        " request to endpoint ep, waits for the reply and returns 0 or -MICA_E*.  ipc is the"
        " calling thread's IPC buffer.",
    )
    out += ["", f"#ifndef {up}_CLIENT_H", f"#define {up}_CLIENT_H", ""]
    out.append(f'#include "{iface.name}_proto.h"')
    out.append('#include "client.h"')
    for m in iface.methods:
        out += ["", *comment_block(client_doc(iface, m))]
        out += wrap_call("", f"int {iface.name}_{m.name}", signature_args(m), ";")
        out += ["", *comment_block(client_r_doc(iface, m))]
        out += wrap_call("", f"int {iface.name}_{m.name}_r", signature_r_args(m), ";")
    out += ["", "#endif", ""]
    return "\n".join(out)


def client_copy_in(m):
    """Client parameters into the request struct."""
    body = []
    for p in m.ins:
        if p.type.name == "str":
            body += [
                f"    if (mica_idl_copy_str(in.{p.name}, sizeof in.{p.name}, {p.name}) < 0)",
                "        return -MICA_EINVAL;",
            ]
        elif p.type.name == "bytes":
            call = [f"in.{p.name}", f"sizeof in.{p.name}", p.name, f"{p.name}_len"]
            body += wrap_call("    ", "if (mica_idl_copy_bytes", call, " < 0)")
            body += ["        return -MICA_EINVAL;", f"    in.{p.name}_len = {p.name}_len;"]
        else:
            body.append(f"    in.{p.name} = {p.name};")
    return body


def client_copy_out(m):
    """The decoded reply struct into the client's output parameters."""
    body = []
    for p in m.outs:
        if p.type.name == "str":
            body.append(f"    memcpy({p.name}, out.{p.name}, strlen(out.{p.name}) + 1);")
        elif p.type.name == "bytes":
            body += [
                f"    memcpy({p.name}, out.{p.name}, out.{p.name}_len);",
                f"    *{p.name}_len = out.{p.name}_len;",
            ]
        else:
            body.append(f"    *{p.name} = out.{p.name};")
    return body


def gen_client_function(iface, m):
    body = ["    struct mica_msg msg = {0};"]
    if m.ins:
        body.append(f"    struct {iface.name}_{m.name}_in in;")
    if m.outs:
        body.append(f"    struct {iface.name}_{m.name}_out out;")
    body.append("    int err;")
    body.append("")
    if m.ins:
        if any(p.type.is_blob for p in m.ins):
            body.append("    /* The arguments, checked against their bounds, into the request. */")
        else:
            body.append("    /* The arguments into the request. */")
        body += client_copy_in(m)
    body += [
        f"    err = encode_{m.name}_request({'&in, ' if m.ins else ''}&msg, ipc);",
        "    if (err < 0)",
        "        return err;",
        "    err = (int)mica_call(ep, &msg);",
        "    if (err < 0)",
        "        return err;",
        "    err = reply_status(&msg, ipc);",
        "    if (err != 0)",
        "        return err;",
        f"    err = decode_{m.name}_reply(&msg, ipc{', &out' if m.outs else ''});",
        "    if (err < 0) {",
        "        mica_idl_close_handles(ipc, mica_tag_handles(msg.tag));",
        "        return -MICA_EIO; /* the server broke the interface */",
        "    }",
    ]
    body += client_copy_out(m)
    body.append("    return 0;")
    what = "the arguments into a request, the call, the reply checked and handed out"
    head = comment_block([f"{m.name}: {what}."])
    return head + [*signature(iface, m), "{", *body, "}"]


def call_args_r(m):
    """The plain stub's arguments inside the recovering one (handles replaced by copies)."""
    args = ["client->ep", "client->ipc"]
    for p in m.ins:
        if p.type.is_handle:
            args.append(f"(mica_handle_t){p.name}_copy")
        elif p.type.name == "bytes":
            args += [p.name, f"{p.name}_len"]
        else:
            args.append(p.name)
    for p in m.outs:
        args += [p.name, f"{p.name}_len"] if p.type.name == "bytes" else [p.name]
    return args


def gen_client_function_r(iface, m):
    handles = [p for p in m.ins if p.type.is_handle]
    body = ["    int err;", "    for (unsigned attempt = 0;; attempt++) {"]
    for p in handles:
        body += [
            f"        int64_t {p.name}_copy = mica_handle_dup({p.name}, MICA_RIGHT_ALL);",
            f"        if ({p.name}_copy < 0)",
        ]
        earlier = handles[: handles.index(p)]
        if earlier:
            body[-1] += " {"
            body += [f"            mica_handle_close((mica_handle_t){q.name}_copy);" for q in earlier]
        body.append(f"            return (int){p.name}_copy;")
        if earlier:
            body.append("        }")
    body += wrap_call("        ", f"err = {iface.name}_{m.name}", call_args_r(m), ";")
    if handles:
        body.append("        /* A copy the server did not receive is still ours; a delivered one is")
        body.append("           no longer in our table, and closing its old value fails harmlessly. */")
        body += [f"        mica_handle_close((mica_handle_t){p.name}_copy);" for p in handles]
    body += [
        "        if (!mica_client_reissue(client, &err, attempt))",
        "            return err;",
        "    }",
    ]
    head = comment_block([f"{m.name}_r: the request again and again while the server dies holding it."])
    return head + [*wrap_call("", f"int {iface.name}_{m.name}_r", signature_r_args(m)), "{", *body, "}"]


def gen_reply_status():
    return comment_block(
        [
            "The status of a reply: 0 for success (label 0), the error of an error reply,",
            "or -MICA_EIO for a label that is no error of this interface.  An error",
            "reply carries nothing; handles that came with it anyway are closed.",
        ]
    ) + [
        "static int reply_status(const struct mica_msg *msg, const struct mica_ipc_buffer *ipc)",
        "{",
        "    uint32_t label = mica_tag_label(msg->tag);",
        "    if (label == 0)",
        "        return 0;",
        "    mica_idl_close_handles(ipc, mica_tag_handles(msg->tag));",
        "    if (label > 0xfff || !error_allowed(-(int)label))",
        "        return -MICA_EIO;",
        "    return -(int)label;",
        "}",
    ]


def gen_client_c(iface, src):
    out = file_header(
        f"{iface.name}_client.c",
        iface,
        src,
        f"the client stubs of interface {iface.name}: each function writes its request"
        " (registers first, then the IPC buffer), calls the server, and checks the whole reply"
        " before it hands anything to the caller.",
    )
    out += ["", f'#include "{iface.name}_client.h"', '#include "idl.h"', ""]
    out += gen_error_allowed(iface) + [""] + gen_reply_status()
    for m in iface.methods:
        out += ["", f"/* ---- {m.name} ---- */", ""]
        out += gen_encoder(iface, m, "request") + [""]
        out += gen_decoder(iface, m, "reply") + [""]
        out += gen_client_function(iface, m)
        out += [""] + gen_client_function_r(iface, m)
    out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------------------
# NAME_server.h and NAME_server.c


def callback_decl(iface, m):
    args = ["void *ctx"]
    if m.ins:
        args.append(f"const struct {iface.name}_{m.name}_in *in")
    if m.outs:
        args.append(f"struct {iface.name}_{m.name}_out *out")
    return f"    int (*{m.name})({', '.join(args)});"


def gen_server_h(iface, src):
    up = iface.name.upper()
    out = file_header(
        f"{iface.name}_server.h",
        iface,
        src,
        f"the server side of interface {iface.name}: a struct of callbacks, one per method, and"
        f" {iface.name}_dispatch(), which checks a received message, calls the callback and turns"
        " the message into the reply.",
    )
    out += ["", f"#ifndef {up}_SERVER_H", f"#define {up}_SERVER_H", ""]
    out += [f'#include "{iface.name}_proto.h"', ""]
    out += comment_block(
        [
            "One callback per method; NULL for a method the server does not offer",
            "(its callers get -MICA_ENOSYS).  A callback gets checked values and owns",
            "the handles among them, even when it fails; it fills *out and returns 0",
            "or -MICA_E*.  An output handle moves to the client with the reply.",
        ]
    )
    out.append(f"struct {iface.name}_server {{")
    for m in iface.methods:
        out += comment_block([method_summary(m)] + m.doc, "    ")
        out.append(callback_decl(iface, m))
    out += ["};", ""]
    out += comment_block(
        [
            "Serve the message in *msg (just received, with its long part in ipc): check",
            "it, call srv's callback with ctx, and rewrite *msg and ipc into the reply,",
            "ready for mica_reply_recv().  A malformed or unknown request gets an error",
            "reply, and the handles it carried are closed.  Returns the reply's status.",
        ]
    )
    out += wrap_call("", f"int {iface.name}_dispatch", dispatch_args(iface), ";")
    out += ["", "#endif", ""]
    return "\n".join(out)


def gen_serve(iface, m):
    """static int serve_M(srv, ctx, msg, ipc): one request from check to reply."""
    out_handles = [p for p in m.outs if p.type.is_handle]
    body = []
    if m.ins:
        body.append(f"    struct {iface.name}_{m.name}_in in;")
    if m.outs:
        body.append(f"    struct {iface.name}_{m.name}_out out;")
    body.append("    int err;")
    body.append("")
    if m.outs:
        what = "0, handles MICA_HANDLE_INVALID" if out_handles else "0"
        body.append(f"    memset(&out, 0, sizeof out); /* outputs start as {what} */")
    body += [
        f"    if (srv->{m.name} == NULL)",
        "        err = -MICA_ENOSYS;",
        "    else",
        f"        err = decode_{m.name}_request(msg, ipc{', &in' if m.ins else ''});",
        "    if (err < 0) {",
        "        mica_idl_close_handles(ipc, mica_tag_handles(msg->tag));",
        "        return err;",
        "    }",
    ]
    args = ["ctx"] + (["&in"] if m.ins else []) + (["&out"] if m.outs else [])
    body += [f"    err = srv->{m.name}({', '.join(args)});", "    if (err == 0)"]
    out_arg = "&out, " if m.outs else ""
    body.append(f"        err = encode_{m.name}_reply({out_arg}msg, ipc) < 0 ? -MICA_EIO : 0;")
    body += [
        "    else if (!error_allowed(err))",
        "        err = -MICA_EIO; /* the callback broke the interface */",
    ]
    if out_handles:
        body += ["    /* Handles the callback made go nowhere after all. */", "    if (err < 0) {"]
        body += [f"        mica_idl_close_if_set(out.{p.name});" for p in out_handles]
        body += ["    }"]
    body.append("    return err;")
    head = comment_block(
        [
            f"One request of {m.name}: check it, call the callback, write the reply.",
            "Returns 0, or the error for an error reply.",
        ]
    )
    args = dispatch_args(iface)
    return head + wrap_call("", f"static int serve_{m.name}", args) + ["{", *body, "}"]


def gen_dispatch(iface):
    up = iface.name.upper()
    body = ["    int err;", "", "    switch (mica_tag_label(msg->tag)) {"]
    for m in iface.methods:
        body += [
            f"    case {up}_LABEL_{m.name.upper()}:",
            f"        err = serve_{m.name}(srv, ctx, msg, ipc);",
            "        break;",
        ]
    body += [
        "    default: /* not a method of this interface */",
        "        mica_idl_close_handles(ipc, mica_tag_handles(msg->tag));",
        "        err = -MICA_ENOSYS;",
        "        break;",
        "    }",
        "    if (err < 0)",
        "        mica_idl_error_reply(msg, err);",
        "    return err;",
    ]
    head = comment_block(["The label picks the method; whatever fails becomes an error reply."])
    signature = wrap_call("", f"int {iface.name}_dispatch", dispatch_args(iface))
    return head + signature + ["{", *body, "}"]


def dispatch_args(iface):
    return [
        f"const struct {iface.name}_server *srv",
        "void *ctx",
        "struct mica_msg *msg",
        "struct mica_ipc_buffer *ipc",
    ]


def gen_server_c(iface, src):
    out = file_header(
        f"{iface.name}_server.c",
        iface,
        src,
        f"the server stubs of interface {iface.name}: every request is checked completely"
        " (label, words, handles, their types and rights, value ranges, string and array"
        " bounds) before a callback sees it; whatever fails gets an error reply.",
    )
    out += ["", f'#include "{iface.name}_server.h"', '#include "idl.h"', ""]
    out += gen_error_allowed(iface)
    for m in iface.methods:
        out += ["", f"/* ---- {m.name} ---- */", ""]
        out += gen_decoder(iface, m, "request") + [""]
        out += gen_encoder(iface, m, "reply") + [""]
        out += gen_serve(iface, m)
    out += [""] + gen_dispatch(iface) + [""]
    return "\n".join(out)


# ---------------------------------------------------------------------------


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def generate(path, abi, outdir):
    iface = parse_file(path, abi)
    src = os.path.relpath(path)
    os.makedirs(outdir, exist_ok=True)
    n = iface.name
    for suffix, gen in (
        ("_proto.h", gen_proto),
        ("_client.h", gen_client_h),
        ("_client.c", gen_client_c),
        ("_server.h", gen_server_h),
        ("_server.c", gen_server_c),
    ):
        write(os.path.join(outdir, n + suffix), gen(iface, src))


class Parsed:
    def __init__(self, path, iface):
        self.path, self.iface = path, iface


def main():
    ap = argparse.ArgumentParser(description="Generate C stubs from a Mica interface definition.")
    ap.add_argument(
        "--abi", default=DEFAULT_ABI, help="the ABI header (MICA_E*, MICA_RIGHT_*, MICA_OBJ_*)"
    )
    ap.add_argument("--out", help="directory for the generated files")
    ap.add_argument(
        "--check", action="store_true", help="only check the files and their label ranges"
    )
    ap.add_argument("files", nargs="+", metavar="FILE.idl")
    args = ap.parse_args()
    abi = Abi(args.abi)
    try:
        if args.check:
            check_overlaps([Parsed(f, parse_file(f, abi)) for f in args.files])
        elif args.out and len(args.files) == 1:
            generate(args.files[0], abi, args.out)
        else:
            ap.error("give --out DIR and one FILE.idl, or --check and any number of files")
    except IdlError as e:
        print(e, file=sys.stderr)
        return 1
    except OSError as e:
        print(f"idlgen: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
