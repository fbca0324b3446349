#!/usr/bin/env python3
"""
test_idlgen.py - host tests for tools/idlgen.py itself: bad interface files
must be refused with "FILE:LINE: message" and exit status 1, good ones
accepted, and what it generates must already be in the tree's clang-format
style.  Prints one PASS:/FAIL: line per case, like the C host tests.
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.join(HERE, "..", "..")
IDLGEN = os.path.join(TOP, "tools", "idlgen.py")

def t(*lines):
    """The text of t.idl: interface t with these lines inside its braces."""
    return "interface t 0x100 {\n" + "".join(f"    {l}\n" for l in lines) + "}\n"


# name -> (file text, line of the error, start of the message)
BAD = {
    "unknown_type": (t("method m(u31 x);"), 2, "unknown type 'u31'"),
    "missing_semicolon": (
        t("method a()", "method b();"),
        3,
        "expected ';' after the method, found 'method'",
    ),
    "unknown_error": (t("error EFOO;", "method m();"), 2, "unknown error 'EFOO'"),
    "unknown_right": (t("method m(handle<vmo, READ|FLY> h);"), 2, "unknown right 'FLY'"),
    "unknown_kind": (t("method m(handle<file> h);"), 2, "unknown handle kind 'file'"),
    "too_many_handles": (
        t(
            "method m(handle<any> a, handle<any> b, handle<any> c,",
            "         handle<any> d, handle<any> e);",
        ),
        2,
        "request of 'm' carries 5 handles; at most 4 fit",
    ),
    "message_too_long": (
        t("method m() -> (bytes[512] a, bytes[512] b);"),
        2,
        "reply of 'm' needs up to 128 IPC-buffer words; at most 120 fit",
    ),
    "bound_too_large": (t("method m(str[961] s);"), 2, "bound of 's' must be 1 to 960"),
    "duplicate_parameter": (
        t("method m(u32 x) -> (u64 x);"),
        2,
        "parameter 'x' appears twice in method 'm'",
    ),
    "length_name_clash": (
        t("method m(bytes[8] d, u32 d_len);"),
        2,
        "parameter 'd_len' appears twice",
    ),
    "reserved_name": (t("method m(u32 ep);"), 2, "parameter name 'ep' is reserved"),
    "keyword_name": (t("method default();"), 2, "method name 'default' is a C keyword"),
    "upper_case_method": (t("method Read();"), 2, "method name 'Read' must be lower case"),
    "duplicate_method": (t("method m();", "method m();"), 3, "method 'm' defined twice"),
    "label_constant": (
        t("const LABEL_M = 1;", "method m();"),
        2,
        "constant name 'LABEL_M' clashes",
    ),
    "file_name": (
        "interface other 0x100 {\n    method m();\n}\n",
        1,
        "interface 'other' must be in a file named other.idl",
    ),
    "kernel_label": (
        "interface t 0xfa10 {\n" + "".join(f"    method m{i}();\n" for i in range(8)) + "}\n",
        1,
        "labels 0xfa10..0xfa17 include MICA_MSG_FAULT",
    ),
    "unknown_bound": (t("method m(str[MAX] s);"), 2, "'MAX' is no constant defined above"),
    "bad_character": (t("method m(u32 $x);"), 2, "unexpected character '$'"),
    "no_methods": (t(), 1, "interface 't' has no methods"),
    "trailing_text": (t("method m();") + "method n();\n", 4, "expected end of file"),
}

GOOD = """# t.idl - a small interface that uses a bit of everything.
interface t 0x100 {
    error ENOENT;
    const LIMIT = 16;
    # Look a name up.
    method find(str[LIMIT] name, handle<vmo, READ> where) -> (u64 at, bool found);
    method ping();
}
"""


def run(args):
    return subprocess.run([sys.executable, IDLGEN] + args, capture_output=True, text=True)


def report(name, ok, detail=""):
    print(f"{'PASS' if ok else 'FAIL'}: host/idlgen/{name}")
    if not ok:
        print(f"  {detail}", file=sys.stderr)
    return ok


def test_bad(tmp, name, text, line, message):
    """The file is refused with exactly FILE:LINE: message... and status 1, and writes nothing."""
    path = os.path.join(tmp, "t.idl")
    with open(path, "w") as f:
        f.write(text)
    out = os.path.join(tmp, "out-" + name)
    r = run(["--out", out, path])
    want = f"{path}:{line}: {message}"
    ok = r.returncode == 1 and r.stderr.startswith(want) and not os.path.exists(out)
    got = f"{r.stderr.strip()!r} ({r.returncode})"
    return report(name, ok, f"want {want!r} and status 1, got {got}")


def test_good(tmp):
    """A good file gives the five files; they are already clang-format clean."""
    path = os.path.join(tmp, "t.idl")
    with open(path, "w") as f:
        f.write(GOOD)
    out = os.path.join(tmp, "out-good")
    r = run(["--out", out, path])
    names = sorted(os.listdir(out)) if os.path.isdir(out) else []
    want = sorted(f"t_{s}" for s in ("proto.h", "client.h", "client.c", "server.h", "server.c"))
    ok = report("good_file", r.returncode == 0 and names == want, f"{r.stderr.strip()} {names}")
    return ok and check_format(out, names)


def check_format(out, names):
    """clang-format with the tree's style changes nothing in the generated files."""
    if shutil.which("clang-format") is None:
        print("  (clang-format missing: generated-code style not checked)", file=sys.stderr)
        return True
    bad = []
    for n in names:
        with open(os.path.join(out, n)) as f:
            text = f.read()
        assumed = os.path.join(TOP, "build", "gen", n)  # finds the tree's .clang-format
        r = subprocess.run(["clang-format", f"--assume-filename={assumed}"], input=text,
                           capture_output=True, text=True)
        if r.returncode != 0 or r.stdout != text:
            bad.append(n)
    return report("generated_code_formatted", not bad, f"not clang-format clean: {bad}")


def test_overlap(tmp):
    """--check refuses two interfaces whose label ranges overlap, and accepts the tree's."""
    a, b = os.path.join(tmp, "a.idl"), os.path.join(tmp, "b.idl")
    with open(a, "w") as f:
        f.write("interface a 0x100 {\n    method x();\n    method y();\n}\n")
    with open(b, "w") as f:
        f.write("interface b 0x101 {\n    method z();\n}\n")
    r = run(["--check", a, b])
    want = f"{b}:1: labels of 'b' overlap those of 'a'"
    ok = report("label_overlap", r.returncode == 1 and r.stderr.startswith(want), r.stderr.strip())
    idl_dir = os.path.join(TOP, "idl")
    tree = sorted(os.path.join(idl_dir, n) for n in os.listdir(idl_dir) if n.endswith(".idl"))
    r = run(["--check"] + tree + [os.path.join(HERE, "idl", "idltest.idl")])
    return report("tree_interfaces", r.returncode == 0 and tree, r.stderr.strip()) and ok


def main():
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for name, (text, line, message) in BAD.items():
            ok = test_bad(tmp, name, text, line, message) and ok
        ok = test_good(tmp) and ok
        ok = test_overlap(tmp) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
