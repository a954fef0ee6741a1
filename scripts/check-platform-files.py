#!/usr/bin/env python3
"""Static checks of what cannot be built on this machine (no Android SDK, no
Xcode): run by scripts/kotlin-tests.sh after it generated the bindings.

Why: the Gradle module, the manifest, the iOS package and the two thin
platform layers are only built on an app team's machine; a typo there, a
version the docs no longer name, a core call nobody bound, or a call one
platform has and the other lacks would otherwise be found there first.

    scripts/check-platform-files.py [GENERATED_DIR]   (default target/bindings)

Checks, each failing with a line that says what is wrong:
 1. every XML file of android/ parses; the privacy manifest is a plist with
    the keys Apple requires; the Gradle files have balanced brackets and
    quotes, and every version they pin is the one docs/bindings.md names;
 2. the Android build pieces the docs promise are there (AndroidX, test
    sources out of the Android build, consumer rules for JNA and UniFFI,
    16 KB pages, the unstripped libraries kept, Auto Backup rules), and the
    iOS ones (Keychain accessibility, file protection, backup exclusion);
 3. every public call of the core's store and sync client is listed in
    bindings/api-coverage.txt, and each binding named there exists in the
    generated Kotlin and Swift;
 4. the Kotlin layer (android/src/main/kotlin) and the Swift layer
    (ios/Sources/Komek) expose the same public calls.
"""

import pathlib
import plistlib
import re
import sys
import xml.etree.ElementTree as ET

ROOT = pathlib.Path(__file__).resolve().parent.parent
GENERATED = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "target" / "bindings"
failures = []


def fail(msg):
    failures.append(msg)


def read(rel):
    return (ROOT / rel).read_text(encoding="utf-8")


# ---- 1. files parse, versions agree with the docs ---------------------------

for xml in sorted((ROOT / "android").rglob("*.xml")):
    if "build" in xml.relative_to(ROOT / "android").parts:
        continue
    try:
        ET.parse(xml)
    except ET.ParseError as e:
        fail(f"{xml.relative_to(ROOT)} does not parse: {e}")

privacy = ROOT / "ios/Sources/Komek/PrivacyInfo.xcprivacy"
try:
    manifest = plistlib.loads(privacy.read_bytes())
    for key in ("NSPrivacyTracking", "NSPrivacyTrackingDomains",
                "NSPrivacyCollectedDataTypes", "NSPrivacyAccessedAPITypes"):
        if key not in manifest:
            fail(f"{privacy.relative_to(ROOT)} lacks {key}")
    for api in manifest.get("NSPrivacyAccessedAPITypes", []):
        if not api.get("NSPrivacyAccessedAPITypeReasons"):
            fail(f"{privacy.relative_to(ROOT)}: {api.get('NSPrivacyAccessedAPIType')} has no reason")
except (OSError, plistlib.InvalidFileException, ValueError) as e:
    fail(f"{privacy.relative_to(ROOT)} is not a readable plist: {e}")


def balanced(text, name):
    """Brackets and double quotes of a Kotlin script balance (comments and
    strings skipped); a cheap stand-in for a parser Gradle has and we lack."""
    stack, i, pairs = [], 0, {")": "(", "]": "[", "}": "{"}
    while i < len(text):
        c = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i)
            i = len(text) if i < 0 else i
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i)
            if end < 0:
                return fail(f"{name}: unclosed comment")
            i = end + 2
            continue
        if c == '"':
            j = i + 1
            while j < len(text) and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if j >= len(text):
                return fail(f"{name}: unclosed string")
            i = j + 1
            continue
        if c in "([{":
            stack.append(c)
        elif c in ")]}":
            if not stack or stack.pop() != pairs[c]:
                return fail(f"{name}: unbalanced '{c}' at offset {i}")
        i += 1
    if stack:
        fail(f"{name}: unclosed '{stack[-1]}'")


gradle = {}
for rel in ("android/settings.gradle.kts", "android/build.gradle.kts"):
    gradle[rel] = read(rel)
    balanced(gradle[rel], rel)
props = read("android/gradle.properties")
wrapper = read("android/gradle/wrapper/gradle-wrapper.properties")
docs = read("docs/bindings.md")

# Every version the build pins, and the same version named in the docs'
# "Versions" table (a line `| name | version |`).
pinned = {
    "Android Gradle plugin": r'id\("com\.android\.library"\) version "([^"]+)"',
    "Kotlin Gradle plugin": r'id\("org\.jetbrains\.kotlin\.android"\) version "([^"]+)"',
    "JNA": r'"net\.java\.dev\.jna:jna:([^"@]+)@aar"',
    "kotlinx-coroutines": r'"org\.jetbrains\.kotlinx:kotlinx-coroutines-android:([^"]+)"',
    "WorkManager": r'"androidx\.work:work-runtime-ktx:([^"]+)"',
    "AndroidX Core": r'"androidx\.core:core-ktx:([^"]+)"',
    "compileSdk": r"compileSdk = (\d+)",
    "minSdk": r"minSdk = (\d+)",
    "Gradle": None,
}
all_gradle = "\n".join(gradle.values())
for name, pattern in pinned.items():
    if pattern is None:
        m = re.search(r"gradle-([\d.]+)-bin\.zip", wrapper)
    else:
        m = re.search(pattern, all_gradle)
    if not m:
        fail(f"the Android build does not pin {name}")
        continue
    row = re.search(r"^\|\s*" + re.escape(name) + r"\s*\|\s*`?([^`|\s]+)`?\s*\|", docs, re.M)
    if not row:
        fail(f"docs/bindings.md (Versions) does not name {name}")
    elif row.group(1) != m.group(1):
        fail(f"{name}: the build pins {m.group(1)}, docs/bindings.md says {row.group(1)}")
if re.search(r'plugins\s*\{[^}]*version', gradle["android/build.gradle.kts"]):
    fail("android/build.gradle.kts: plugin versions belong in settings.gradle.kts")

# ---- 2. what the docs promise is in the files ---------------------------------

def must(rel, text, what, needle):
    if needle not in text:
        fail(f"{rel}: {what} (expected {needle!r})")


must("android/gradle.properties", props, "AndroidX on", "android.useAndroidX=true")
build = gradle["android/build.gradle.kts"]
must("android/build.gradle.kts", build, "test sources out of the Android build",
     'sourceSets["test"].java.setSrcDirs(emptyList<String>())')
must("android/build.gradle.kts", build, "a Maven publication", "maven-publish")
must("android/build.gradle.kts", build, "JNA as an AAR in the POM", "@aar")
rules = read("android/consumer-rules.pro")
for needle in ("-keep class com.sun.jna.** { *; }", "-keep class kz.komek.ffi.** { *; }",
               "-keepclassmembers class * extends com.sun.jna.Structure"):
    must("android/consumer-rules.pro", rules, "R8 keeps what JNA and UniFFI reach by reflection", needle)
native = read("android/build-native.sh")
must("android/build-native.sh", native, "16 KB page alignment", "-Wl,-z,max-page-size=16384")
must("android/build-native.sh", native, "the unstripped libraries kept", "native-debug-symbols")
manifest_xml = read("android/src/main/AndroidManifest.xml")
for needle in ("@xml/komek_backup_rules", "@xml/komek_data_extraction_rules", "FOREGROUND_SERVICE_DATA_SYNC"):
    must("android/src/main/AndroidManifest.xml", manifest_xml, "backup rules and foreground sync", needle)
for rel in ("android/src/main/res/xml/komek_backup_rules.xml",
            "android/src/main/res/xml/komek_data_extraction_rules.xml"):
    if not (ROOT / rel).exists():
        fail(f"{rel} is missing")
    else:
        must(rel, read(rel), "the database excluded", 'path="komek"')
keychain = read("ios/Sources/Komek/KeychainVault.swift")
must("ios/Sources/Komek/KeychainVault.swift", keychain, "background sync reads keys while locked",
     "kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly")
if "WhenUnlocked" in keychain.replace("kSecAttrAccessibleWhenUnlocked` would", ""):
    fail("ios/Sources/Komek/KeychainVault.swift: a WhenUnlocked item breaks background sync")
files = read("ios/Sources/Komek/StoreFiles.swift")
must("ios/Sources/Komek/StoreFiles.swift", files, "file protection", "completeUntilFirstUserAuthentication")
must("ios/Sources/Komek/StoreFiles.swift", files, "backup exclusion", "isExcludedFromBackup = true")

# ---- 3. every core call bound ---------------------------------------------------

def camel(snake):
    head, *rest = snake.split("_")
    return head + "".join(w.capitalize() for w in rest)


core_calls = set()
for path in sorted((ROOT / "core/src/store").glob("*.rs")):
    if path.name == "tests.rs":
        continue
    text = path.read_text(encoding="utf-8")
    for block in re.finditer(r"^impl Store \{\n(.*?)^\}", text, re.M | re.S):
        for m in re.finditer(r"^    pub (?:async )?fn (\w+)", block.group(1), re.M):
            core_calls.add(f"Store::{m.group(1)}")
for rel in ("core/src/sync/client.rs", "core/src/sync/offline.rs"):
    for m in re.finditer(r"^pub (?:async )?fn (\w+)", read(rel), re.M):
        core_calls.add(f"sync::{m.group(1)}")

coverage = {}
for line in read("bindings/api-coverage.txt").splitlines():
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    call, binding = line.split(None, 1)
    coverage[call] = binding.strip()
for call in sorted(core_calls - coverage.keys()):
    fail(f"core call {call} has no binding: add it to the FFI (or to bindings/api-coverage.txt with why not)")
for call in sorted(coverage.keys() - core_calls):
    fail(f"bindings/api-coverage.txt lists {call}, which the core no longer has")

kotlin = "\n".join(p.read_text(encoding="utf-8") for p in GENERATED.glob("kotlin/**/*.kt"))
swift = "\n".join(p.read_text(encoding="utf-8") for p in GENERATED.glob("swift/*.swift"))
if not kotlin or not swift:
    fail(f"no generated Kotlin or Swift under {GENERATED} (run scripts/generate-bindings.sh)")
for call, binding in sorted(coverage.items()):
    if binding.startswith("-"):
        continue
    # Generated names may be quoted (`open`).
    if not re.search(r"\bfun `?" + re.escape(binding) + r"`?\(", kotlin):
        fail(f"{call}: the generated Kotlin has no {binding}()")
    if not re.search(r"\bfunc `?" + re.escape(binding) + r"`?\(", swift):
        fail(f"{call}: the generated Swift has no {binding}()")

# ---- 4. the Kotlin and Swift layers expose the same calls -----------------------

# Calls one platform has because of what the platform is; everything else
# must exist on both sides under the same name.
ONLY_ANDROID = {
    "doWork", "getForegroundInfo",        # WorkManager's CoroutineWorker
    "komekStore",                         # KomekStoreProvider, the Application's hook
}
ONLY_IOS = {
    "register",                           # BGTaskScheduler needs handlers registered at launch
    "date", "month", "components",        # IsoDates: Swift has no calendar-date type
}
kotlin_layer = set()
for path in (ROOT / "android/src/main/kotlin").rglob("*.kt"):
    source = path.read_text(encoding="utf-8")
    if re.search(r"^(?:internal|private) class ", source, re.M):
        continue  # not public API (GcmKeyWrapper: the vault's blob format)
    for m in re.finditer(r"^\s*(?:(?:override|suspend|inline|public)\s+)*fun\s+(?:<[^>]+>\s*)?(\w+)\(",
                         source, re.M):
        line = m.group(0)
        if "private" in line or "internal" in line or "override" in line:
            continue
        kotlin_layer.add(m.group(1))
swift_layer = set()
for path in (ROOT / "ios/Sources/Komek").glob("*.swift"):
    for m in re.finditer(r"^\s*public\s+(?:static\s+|final\s+)*func\s+(\w+)",
                         path.read_text(encoding="utf-8"), re.M):
        swift_layer.add(m.group(1))
# A vault's wrap/unwrap/destroy and a logger's log implement the generated
# protocols on both sides (Kotlin marks them override).
swift_layer -= {"wrap", "unwrap", "destroy", "log"}
for name in sorted(kotlin_layer - swift_layer - ONLY_ANDROID):
    fail(f"the Kotlin layer has {name}() and the Swift layer does not")
for name in sorted(swift_layer - kotlin_layer - ONLY_IOS):
    fail(f"the Swift layer has {name}() and the Kotlin layer does not")

if failures:
    for f in failures:
        print(f"check-platform-files: {f}", file=sys.stderr)
    sys.exit(1)
print(f"check-platform-files: ok ({len(core_calls)} core calls covered, "
      f"{len(kotlin_layer & swift_layer)} calls on both platforms)")
