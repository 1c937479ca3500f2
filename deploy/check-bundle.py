#!/usr/bin/env python3
"""Writes and checks the Lambda bundle made by deploy/package.sh.

  check-bundle.py zip DIR ZIP    zip DIR's files (bootstrap executable, fixed
                                 timestamps, so the same input gives the same zip)
  check-bundle.py check OUT ARCH fail unless OUT/function.zip holds an executable
                                 `bootstrap` ELF for ARCH (x86_64 or arm64) that
                                 needs glibc <= 2.34 (provided.al2023), a valid
                                 catalog.json, forms.json (the theme of the
                                 function's pages) and search/index.json (for
                                 GET /api/search), and OUT/site/index.html exists
"""
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile

AL2023_GLIBC = (2, 34)
MACHINES = {"x86_64": 0x3E, "arm64": 0xB7}


def fail(msg):
    print(f"check-bundle: {msg}", file=sys.stderr)
    sys.exit(1)


def make_zip(src, dest):
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        files = []
        for root, dirs, names in os.walk(src):
            dirs.sort()
            files.extend(os.path.relpath(os.path.join(root, n), src) for n in names)
        for name in sorted(files):
            path = os.path.join(src, name)
            name = name.replace(os.sep, "/")
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            mode = 0o755 if name == "bootstrap" else 0o644
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.create_system = 3  # Unix, so the mode is honoured
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as f:
                z.writestr(info, f.read())


def glibc_versions(binary):
    tool = shutil.which("objdump")
    args = [tool, "-T", binary] if tool else None
    if not tool:
        tool = shutil.which("readelf")
        args = [tool, "--dyn-syms", "-W", binary] if tool else None
    if not tool:
        fail("neither objdump nor readelf (binutils) is installed")
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return sorted({tuple(int(x) for x in v.split(".")) for v in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", out)})


def check(out, arch):
    zpath = os.path.join(out, "function.zip")
    if not os.path.isfile(zpath):
        fail(f"{zpath} is missing")
    with zipfile.ZipFile(zpath) as z:
        names = z.namelist()
        if "bootstrap" not in names:
            fail(f"no bootstrap in {zpath}: {names}")
        info = z.getinfo("bootstrap")
        mode = info.external_attr >> 16
        if not mode & 0o111:
            fail(f"bootstrap is not executable (mode {oct(mode)})")
        data = z.read("bootstrap")
        if data[:4] != b"\x7fELF":
            fail("bootstrap is not an ELF file")
        if data[4] != 2 or data[5] != 1:
            fail("bootstrap is not a 64-bit little-endian ELF")
        machine = int.from_bytes(data[18:20], "little")
        if machine != MACHINES[arch]:
            fail(f"bootstrap is for ELF machine {machine:#x}, not {arch} ({MACHINES[arch]:#x})")
        if "catalog.json" not in names:
            fail("no catalog.json beside bootstrap")
        catalog = json.loads(z.read("catalog.json"))
        if not isinstance(catalog, dict) or not catalog:
            fail("catalog.json is empty")
        # Without forms.json the function answers browsers with its built-in
        # pages instead of the site's layout: a packaging mistake.
        if "forms.json" not in names:
            fail("no forms.json beside bootstrap (sbiz build writes it beside catalog.json)")
        try:
            kit = json.loads(z.read("forms.json"))
        except ValueError as e:
            fail(f"forms.json is not JSON: {e}")
        if not isinstance(kit, dict) or "forms/answer.html" not in kit.get("templates", {}):
            fail("forms.json has no forms/answer.html template")
        # Without the search index GET /api/search finds nothing.
        if "search/index.json" not in names:
            fail("no search/index.json beside bootstrap (sbiz build writes it under search/)")
        try:
            search = json.loads(z.read("search/index.json"))
        except ValueError as e:
            fail(f"search/index.json is not JSON: {e}")
        if not isinstance(search, dict) or not search.get("docs"):
            fail("search/index.json has no documents")
        # A site with an English edition: its search without JavaScript
        # answers from the English index.
        if kit.get("globals_en"):
            if "en/search/index.json" not in names:
                fail("no en/search/index.json beside bootstrap (the site has an English edition)")
            try:
                english = json.loads(z.read("en/search/index.json"))
            except ValueError as e:
                fail(f"en/search/index.json is not JSON: {e}")
            if not isinstance(english, dict) or not english.get("docs"):
                fail("en/search/index.json has no documents")
        with tempfile.TemporaryDirectory() as tmp:
            binary = os.path.join(tmp, "bootstrap")
            with open(binary, "wb") as f:
                f.write(data)
            versions = glibc_versions(binary)
        newest = versions[-1] if versions else None
        if newest and newest > AL2023_GLIBC:
            fail(f"bootstrap needs glibc {'.'.join(map(str, newest))}; provided.al2023 has 2.34")
    if not os.path.isfile(os.path.join(out, "site", "index.html")):
        fail(f"{out}/site/index.html is missing")
    size = os.path.getsize(zpath)
    with zipfile.ZipFile(zpath) as z:
        unzipped = sum(i.file_size for i in z.infolist())
    if unzipped > 250 * 1024 * 1024:
        fail(f"{zpath} unzips to {unzipped} bytes; Lambda takes at most 250 MB")
    shown = ".".join(map(str, newest)) if newest else "none"
    print(f"bundle ok: bootstrap ELF {arch}, executable, glibc <= {shown}, "
          f"catalog.json ({len(catalog)} keys), forms.json ({len(kit['templates'])} templates), search/index.json ({len(search['docs'])} documents), {len(names)} files, {size} bytes; site/index.html present",
          file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "zip":
        make_zip(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3])
    else:
        fail(__doc__)
