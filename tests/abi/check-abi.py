#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""ABI gates for libapmatrix (ctest label `abi`).

    check-abi.py --header include/apmatrix.h --sym libapmatrix/libapmatrix.sym
                 [--lib libapmatrix.so] [--nm nm] [--readelf readelf]
                 [--soname libapmatrix.so.0] CHECK...

CHECK is one or more of:
  symbols  the .sym list, the library's dynamic exports (nm -D --defined-only)
           and the functions declared in the header are the same set; every
           export carries the version node the .sym file puts it in; nodes
           are LIBAPMATRIX_0.1 first, each inheriting the one before
  prefix   every export starts with apmatrix_; every function, struct, enum,
           enumerator, typedef and macro of the header is prefixed too;
           no bool/_Bool/off_t in the ABI
  since    every function of the header (and every other top-level
           documented entity) has a doxygen block with @since X, and X
           names the node LIBAPMATRIX_X that exports it
  soname   the library's SONAME is --soname

Only the Python standard library is used (Debian's /usr/bin/python3).
Exit status: 0 all checks passed, 1 a check failed, 2 usage or tool error.
"""

import argparse
import re
import subprocess
import sys

FAILURES = []


def fail(check, msg):
    FAILURES.append("%s: %s" % (check, msg))


# ------------------------------------------------------------------ header

def blank_comments(text):
    """Replace comment bodies with spaces, keeping offsets and newlines."""
    out = list(text)
    for m in re.finditer(r"/\*.*?\*/|//[^\n]*", text, re.S):
        for i in range(m.start(), m.end()):
            if out[i] != "\n":
                out[i] = " "
    return "".join(out)


def blank_preprocessor(code):
    """Blank preprocessor directives (with continuations) and the
    `extern "C" {` / `}` wrapper of #ifdef __cplusplus blocks.
    Returns (blanked text, list of directive end offsets)."""
    out = list(code)
    ends = []
    lines = code.split("\n")
    pos = 0
    i = 0
    in_cplusplus = False
    while i < len(lines):
        line = lines[i]
        start = pos
        stripped = line.strip()
        if stripped.startswith("#") or in_cplusplus:
            if stripped.startswith("#ifdef __cplusplus"):
                in_cplusplus = True
            elif in_cplusplus and stripped.startswith("#endif"):
                in_cplusplus = False
            # follow backslash continuations
            end = pos + len(line)
            while line.rstrip().endswith("\\") and i + 1 < len(lines):
                i += 1
                pos = end + 1
                line = lines[i]
                end = pos + len(line)
            for k in range(start, end):
                out[k] = " "
            ends.append(end)
            pos = end + 1
        else:
            pos += len(line) + 1
        i += 1
    return "".join(out), ends


class Header:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.raw = f.read()
        self.code = blank_comments(self.raw)
        self.decl, self.pp_ends = blank_preprocessor(self.code)
        self.functions = {}    # name -> offset of the name in the text
        self.variables = []
        self.types = []        # (kind, name)
        self.enumerators = []
        self.typedefs = []
        self.macros = re.findall(r"^\s*#\s*define\s+(\w+)", self.code, re.M)
        self._parse()

    def _statements(self):
        depth = 0
        start = 0
        for i, ch in enumerate(self.decl):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == ";" and depth == 0:
                yield start, self.decl[start:i]
                start = i + 1

    def _parse(self):
        for off, stmt in self._statements():
            s = " ".join(stmt.split())
            if not s:
                continue
            if s.startswith("typedef"):
                m = re.search(r"\(\s*\*\s*(\w+)\s*\)", s) or \
                    re.search(r"(\w+)\s*$", s)
                self.typedefs.append(m.group(1))
                continue
            m = re.match(r"^(struct|enum|union)\s+(\w+)\s*(\{(.*)\})?$", s)
            if m:
                self.types.append((m.group(1), m.group(2)))
                if m.group(1) == "enum" and m.group(4):
                    for item in m.group(4).split(","):
                        name = item.split("=")[0].strip()
                        if name:
                            self.enumerators.append(name)
                continue
            m = re.search(r"(\(\s*\*\s*)?\b(\w+)\s*\(", s)
            if not m:
                self.variables.append(s)
                continue
            if m.group(1):
                self.variables.append(m.group(2))
                continue
            name = m.group(2)
            rel = re.search(r"\b%s\s*\(" % re.escape(name), stmt)
            self.functions[name] = off + rel.start()

    def doc_before(self, offset):
        """The doxygen block that documents the declaration whose name is at
        `offset`: the last /** */ between the previous statement boundary
        and the declaration, with only code (the return type) after it."""
        bound = 0
        for ch in ";{}":
            bound = max(bound, self.decl.rfind(ch, 0, offset) + 1)
        for end in self.pp_ends:
            if end < offset:
                bound = max(bound, end)
        region = self.raw[bound:offset]
        blocks = list(re.finditer(r"/\*\*(?!<)(.*?)\*/", region, re.S))
        if not blocks:
            return None
        last = blocks[-1]
        tail = region[last.end():]
        if "/*" in tail:      # a plain comment in between: not ours
            return None
        return last.group(1)

    def toplevel_doc_blocks(self):
        """(doc text, the entity it documents) for every top-level /** */
        block that is not a file or group block."""
        depth_at = []
        depth = 0
        for ch in self.decl:
            depth_at.append(depth)
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
        # extern "C" { is blanked, so depth counts only enum bodies.
        for m in re.finditer(r"/\*\*(?!<)(.*?)\*/", self.raw, re.S):
            if depth_at[m.start()] != 0:
                continue
            body = m.group(1)
            if re.search(r"@(file|defgroup|addtogroup|mainpage|\{|\})", body):
                continue
            rest = self.code[m.end():]
            what = " ".join(rest.strip().split("\n")[0].split()[:3])
            yield body, what


# ------------------------------------------------------------------ .sym

def parse_sym(path):
    """Return {symbol: node} and the node order of a version script."""
    with open(path, encoding="utf-8") as f:
        text = blank_comments(f.read())
    nodes = {}
    order = []
    for m in re.finditer(r"(\w[\w.]*)\s*\{(.*?)\}\s*([\w.]*)\s*;", text, re.S):
        node, body, parent = m.group(1), m.group(2), m.group(3)
        # House rule: LIBAPMATRIX_0.1 first, each later node inherits the
        # one before it, and released nodes are only ever appended to.
        if not re.match(r"^LIBAPMATRIX_\d+\.\d+$", node):
            fail("symbols", "version node %s is not LIBAPMATRIX_x.y" % node)
        if not order and node != "LIBAPMATRIX_0.1":
            fail("symbols", "the first version node is %s, not "
                 "LIBAPMATRIX_0.1" % node)
        if order and parent != order[-1]:
            fail("symbols", "version node %s inherits '%s', not the node "
                 "before it (%s)" % (node, parent, order[-1]))
        if not order and parent:
            fail("symbols", "the first version node inherits %s" % parent)
        order.append(node)
        scope = "global"
        for item in re.split(r"[;\s]+", body):
            if not item:
                continue
            if item.endswith(":"):
                scope = item[:-1]
                continue
            if item in ("global:", "local:"):
                continue
            if scope == "global":
                if item in nodes:
                    fail("symbols", "%s listed twice in %s (%s and %s)"
                         % (item, path, nodes[item], node))
                nodes[item] = node
    return nodes, order


# ------------------------------------------------------------------ .so

def run(cmd):
    try:
        return subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE,
                              universal_newlines=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        print("error: cannot run %s: %s" % (" ".join(cmd), e), file=sys.stderr)
        sys.exit(2)


def library_exports(nm, lib):
    """{name: (type, version or None)} of the defined dynamic symbols."""
    exports = {}
    for line in run([nm, "-D", "--defined-only", lib]).splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        typ, sym = parts[-2], parts[-1]
        if typ == "A":          # version node definitions
            continue
        version = None
        m = re.match(r"^([^@]+)@@?(.*)$", sym)
        if m:
            sym, version = m.group(1), m.group(2)
        exports[sym] = (typ, version)
    return exports


# ------------------------------------------------------------------ checks

def check_symbols(hdr, sym, exports):
    decl = set(hdr.functions)
    listed = set(sym)
    exported = set(exports)
    for name in sorted(listed - decl):
        fail("symbols", "%s is in the .sym file but not declared in the "
             "header" % name)
    for name in sorted(decl - listed):
        fail("symbols", "%s is declared in the header but not in the .sym "
             "file" % name)
    for name in sorted(listed - exported):
        fail("symbols", "%s is in the .sym file but not exported by the "
             "library (missing definition or APMATRIX_EXPORT)" % name)
    for name in sorted(exported - listed):
        fail("symbols", "%s is exported by the library but not in the .sym "
             "file" % name)
    for name in sorted(exported & listed):
        typ, version = exports[name]
        if typ not in ("T", "W", "i"):
            fail("symbols", "%s is exported as a %s symbol, not a function"
                 % (name, typ))
        if version is not None and version != sym[name]:
            fail("symbols", "%s carries version %s, the .sym file puts it "
                 "in %s" % (name, version, sym[name]))
    for v in hdr.variables:
        fail("symbols", "the header declares an object, not a function: %s"
             % v)
    return len(decl), len(listed), len(exported)


def check_prefix(hdr, exports):
    for name in sorted(exports):
        if not name.startswith("apmatrix_"):
            fail("prefix", "exported symbol %s lacks the apmatrix_ prefix"
                 % name)
    for name in sorted(hdr.functions):
        if not name.startswith("apmatrix_"):
            fail("prefix", "function %s lacks the apmatrix_ prefix" % name)
    for kind, name in hdr.types:
        if not name.startswith("apmatrix_"):
            fail("prefix", "%s %s lacks the apmatrix_ prefix" % (kind, name))
    for name in hdr.typedefs:
        if not name.startswith("apmatrix_"):
            fail("prefix", "typedef %s lacks the apmatrix_ prefix" % name)
    for name in hdr.enumerators:
        if not name.startswith("APMATRIX_"):
            fail("prefix", "enumerator %s lacks the APMATRIX_ prefix" % name)
    for name in hdr.macros:
        if not name.startswith("APMATRIX_"):
            fail("prefix", "macro %s lacks the APMATRIX_ prefix" % name)
    for word in ("bool", "_Bool", "off_t", "ssize_t"):
        if re.search(r"\b%s\b" % word, hdr.decl):
            fail("prefix", "the header uses %s (not ctypes-safe: house rule)"
                 % word)


def check_since(hdr, sym):
    since_re = re.compile(r"@since\s+(\S+)")
    for name, off in sorted(hdr.functions.items()):
        doc = hdr.doc_before(off)
        if doc is None:
            fail("since", "%s has no doxygen block" % name)
            continue
        m = since_re.search(doc)
        if not m:
            fail("since", "the doxygen block of %s has no @since" % name)
            continue
        node = sym.get(name)
        if node is not None and node != "LIBAPMATRIX_" + m.group(1):
            fail("since", "%s says @since %s but lives in node %s"
                 % (name, m.group(1), node))
    for body, what in hdr.toplevel_doc_blocks():
        if any(re.search(r"\b%s\b" % f, what) for f in hdr.functions):
            continue    # a function: checked above
        if not since_re.search(body):
            fail("since", "the doxygen block of `%s` has no @since" % what)


def check_soname(readelf, lib, want):
    out = run([readelf, "-d", lib])
    m = re.search(r"\(SONAME\).*\[(.*)\]", out)
    if not m:
        fail("soname", "%s has no SONAME" % lib)
    elif m.group(1) != want:
        fail("soname", "SONAME is %s, expected %s" % (m.group(1), want))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--header", required=True)
    ap.add_argument("--sym", required=True)
    ap.add_argument("--lib")
    ap.add_argument("--nm", default="nm")
    ap.add_argument("--readelf", default="readelf")
    ap.add_argument("--soname", default="libapmatrix.so.0")
    ap.add_argument("checks", nargs="+",
                    choices=("symbols", "prefix", "since", "soname"))
    args = ap.parse_args()

    hdr = Header(args.header)
    sym, _ = parse_sym(args.sym)
    exports = {}
    if set(args.checks) & {"symbols", "prefix", "soname"}:
        if not args.lib:
            ap.error("--lib is needed for symbols, prefix and soname")
        exports = library_exports(args.nm, args.lib)

    if not hdr.functions:
        fail("header", "no function declarations found in %s" % args.header)
    for check in args.checks:
        if check == "symbols":
            n = check_symbols(hdr, sym, exports)
            print("symbols: %d declared, %d in .sym, %d exported" % n)
        elif check == "prefix":
            check_prefix(hdr, exports)
        elif check == "since":
            check_since(hdr, sym)
        elif check == "soname":
            check_soname(args.readelf, args.lib, args.soname)

    for f in FAILURES:
        print("FAIL " + f)
    if FAILURES:
        print("%d problem(s)" % len(FAILURES))
        return 1
    print("ok: " + " ".join(args.checks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
