#!/usr/bin/env python3
"""Turns `perf report --sort dso,sym -F sample,dso,sym` of a native image into collapsed stacks that
bench/profile/components.py reads (Thread.run;DSO;QUALIFIED/NAME N).

A native image names its functions ClassSimpleName_method_HASH (no package), so the qualified name is
recovered from the classes the image was built from: every .class entry of the jars and directories
given, and of the JDK's modules file (jimage list), indexed by simple name (Outer$Inner for nested
classes). The longest run of '_'-separated parts that is a known simple name wins; a simple name in
several packages goes to the JDK's when one is there (String, HashMap...), else to the first in
order; a lambda ($$L...) goes to the class that made it, a symbol whose front was cut off to the
first simple name ending with what is left. Symbols of other objects than the *-runner executable
(the kernel, libc, a C program) are passed through.

    perf report ... | bench/profile/native_symbols.py MODULES_FILE JAR_OR_DIR... > X.collapsed
"""
import collections, os, re, subprocess, sys, zipfile

HASH = re.compile(r"^[0-9A-Za-z]{20,}$")


def classes(sources):
    by_simple = collections.defaultdict(list)

    def add(entry):
        if entry.endswith(".class") and not entry.startswith("META-INF/") and entry != "module-info.class":
            qualified = entry[:-len(".class")]
            by_simple[qualified.rsplit("/", 1)[-1]].append(qualified)

    for source in sources:
        if os.path.isdir(source):
            for root, _, files in os.walk(source):
                for f in files:
                    if f.endswith(".jar"):
                        add_jar(os.path.join(root, f), add)
                    else:
                        add(os.path.relpath(os.path.join(root, f), source))
        elif source.endswith(".jar"):
            add_jar(source, add)
        elif os.path.basename(source) == "modules":  # the JDK's jimage
            listing = subprocess.run(["jimage", "list", source], capture_output=True, text=True, check=True).stdout
            for line in listing.splitlines():
                add(line.strip())
    return by_simple


def add_jar(path, add):
    try:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                add(name)
    except zipfile.BadZipFile:
        pass


def qualify(symbol, by_simple, suffixes):
    if symbol.startswith(("Java_", "JNU_", "JVM_")):  # the JDK's C code, linked into the image
        return "jdk/native/" + symbol
    parts = symbol.split("_")
    if len(parts) > 1 and HASH.match(parts[-1]):
        parts = parts[:-1]
    for k in range(len(parts), 0, -1):
        head = "_".join(parts[:k])
        if "$$L" in head:  # a lambda's class is charged to the class that made it
            head = head.split("$$L")[0]
        candidates = by_simple.get(head)
        if not candidates and k == 1 and len(head) >= 8:  # a long name's front is cut off in the symbol
            candidates = [q for name in suffixes.get(head[-8:], ()) if name.endswith(head) for q in by_simple[name]][:1]
        if candidates:
            jdk = [c for c in candidates if c.startswith(("java/", "jdk/", "sun/"))]
            owner = (jdk or candidates)[0]
            return owner + "." + "_".join(parts[k:]) if k < len(parts) else owner
    return symbol


def main(argv):
    if not argv:
        sys.exit(__doc__)
    by_simple = classes(argv)
    suffixes = collections.defaultdict(list)  # simple names by their last 8 characters
    for name in sorted(by_simple):
        suffixes[name[-8:]].append(name)
    for line in sys.stdin:
        fields = line.split(None, 3)
        if len(fields) < 4 or not fields[0].isdigit():
            continue
        n, dso, _, symbol = fields
        symbol = symbol.strip()
        if dso.endswith("-runner"):  # Quarkus names its native executables *-runner
            symbol = qualify(symbol, by_simple, suffixes)
        print(f"java/lang/Thread.run;{dso};{symbol} {n}")


if __name__ == "__main__":
    main(sys.argv[1:])
