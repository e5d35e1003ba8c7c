#!/usr/bin/env bash
# Proves that every library under src/ is a reusable NuGet package:
#   1. packs every packable project under src/ (Release) with a fresh, unique version into artifacts/packages;
#   2. checks each .nupkg: id, version, description, MIT license expression, README.md and the XML docs inside;
#   3. creates a separate console app OUTSIDE the repository (mktemp -d) with its own nuget.config (the local folder
#      feed + nuget.org) and a fresh NuGet package folder, references Lamina.Core and Lamina.Aws.Resources at that
#      version, builds it with a tiny stack (an SQS queue), runs its `synth` and checks the program;
#   4. installs the `lamina` tool (Lamina.Cli) from the local feed into a temporary tool path, checks
#      `lamina --version`, and runs `lamina synth` on the consumer project.
#
# Usage: scripts/pack-and-consume.sh [--version VERSION] [--keep] [--help]
#   --version VERSION  package version to pack (default: <repository version>-local.<UTC timestamp>.<pid>)
#   --keep             keep the temporary folder (consumer app, tool path, package cache) for inspection
# Exit status: 0 when every check passed; 1 with a "pack-and-consume: FAILED: ..." message otherwise.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FEED="$REPO/artifacts/packages"
VERSION=""
KEEP=0

usage() { sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --version) [[ $# -ge 2 ]] || { echo "pack-and-consume: --version needs a value" >&2; exit 2; }; VERSION="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "pack-and-consume: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

START=$(date +%s)
STEP_START=$START
CURRENT_STEP="start"
fail() { echo "pack-and-consume: FAILED during '$CURRENT_STEP': $*" >&2; exit 1; }
step_done() { local now; now=$(date +%s); echo "    ($CURRENT_STEP: $((now - STEP_START)) s)"; STEP_START=$now; }
step() { CURRENT_STEP="$1"; echo "==> $1"; }

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lamina-pack-and-consume.XXXXXX")"
cleanup() {
  local rc=$?
  if [[ $KEEP -eq 1 ]]; then echo "pack-and-consume: kept $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
case "$WORK/" in "$REPO"/*) KEEP=0; fail "the temporary folder $WORK is inside the repository; set TMPDIR elsewhere" ;; esac

# Lists the entries of a .nupkg (a zip file).
zip_list() {
  if command -v unzip >/dev/null 2>&1; then unzip -Z1 "$1"
  else python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"; fi
}
# Prints one entry of a zip file.
zip_cat() {
  if command -v unzip >/dev/null 2>&1; then unzip -p "$1" "$2"
  else python3 -c 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())' "$1" "$2"; fi
}
# Reads one property from `dotnet msbuild -getProperty` JSON output.
json_prop() { python3 -c 'import json, sys; print(json.load(sys.stdin)["Properties"][sys.argv[1]])' "$1"; }

# ---------------------------------------------------------------------------------------------------------------
step "find the packable projects under src/"
# One evaluation per project, run side by side.
mkdir -p "$WORK/eval"
ALL=("$REPO"/src/*/*.csproj)
PIDS=()
for proj in "${ALL[@]}"; do
  dotnet msbuild "$proj" -getProperty:IsPackable -getProperty:PackageId -getProperty:AssemblyName -getProperty:PackAsTool \
    -getProperty:Description -getProperty:Version >"$WORK/eval/$(basename "$proj").json" 2>"$WORK/eval/$(basename "$proj").err" &
  PIDS+=($!)
done
for i in "${!ALL[@]}"; do
  wait "${PIDS[$i]}" || { cat "$WORK/eval/$(basename "${ALL[$i]}")".{json,err} >&2; fail "cannot evaluate ${ALL[$i]}"; }
done
BASE_VERSION="$(json_prop Version <"$WORK/eval/Lamina.Core.csproj.json")" || fail "cannot read the version of Lamina.Core"
if [[ -z "$VERSION" ]]; then VERSION="${BASE_VERSION}-local.$(date -u +%Y%m%d%H%M%S).$$"; fi
echo "    version $VERSION"
PROJECTS=()
IDS=()
ASSEMBLIES=()
TOOLS=()
for proj in "${ALL[@]}"; do
  props="$(cat "$WORK/eval/$(basename "$proj").json")"
  if [[ "$(json_prop IsPackable <<<"$props")" != "true" ]]; then
    echo "    skip $(basename "$proj") (IsPackable=false)"
    continue
  fi
  [[ -n "$(json_prop Description <<<"$props")" ]] || fail "$proj has no Description"
  PROJECTS+=("$proj")
  IDS+=("$(json_prop PackageId <<<"$props")")
  ASSEMBLIES+=("$(json_prop AssemblyName <<<"$props")")
  TOOLS+=("$(json_prop PackAsTool <<<"$props")")
  echo "    pack ${IDS[-1]} ($(basename "$proj"))"
done
[[ ${#PROJECTS[@]} -gt 0 ]] || fail "no packable project under src/"
for required in Lamina.Core Lamina.Aws.Resources Lamina.Cli; do
  printf '%s\n' "${IDS[@]}" | grep -qx "$required" || fail "$required is not among the packable projects"
done
step_done

# ---------------------------------------------------------------------------------------------------------------
step "dotnet pack -c Release (${#PROJECTS[@]} projects)"
mkdir -p "$FEED"
# Packages of earlier runs of this script (their versions carry "-local.") older than an hour are dropped (a run at
# the same time keeps its own); other packages are left alone.
find "$FEED" -maxdepth 1 -name '*-local.*nupkg' -mmin +60 -delete
# One solution of the src projects, built in a private artifacts folder so that the developers' bin/ and obj/
# folders (and other builds running at the same time) are not touched.
mkdir -p "$WORK/sln"
(cd "$WORK/sln" && dotnet new sln -n pack >/dev/null) || fail "dotnet new sln failed"
SLN="$(ls "$WORK"/sln/pack.sln* | head -n 1)"
dotnet sln "$SLN" add "${PROJECTS[@]}" >/dev/null || fail "cannot add the projects to $SLN"
if ! dotnet pack "$SLN" -c Release -p:Version="$VERSION" --artifacts-path "$WORK/build" -nologo -clp:ErrorsOnly >"$WORK/pack.log" 2>&1; then
  cat "$WORK/pack.log" >&2
  fail "dotnet pack failed (log above)"
fi
step_done

# ---------------------------------------------------------------------------------------------------------------
step "check the packages"
for i in "${!PROJECTS[@]}"; do
  id="${IDS[$i]}"; asm="${ASSEMBLIES[$i]}"
  pkg="$FEED/$id.$VERSION.nupkg"
  [[ -f "$pkg" ]] || fail "$pkg was not produced"
  entries="$(zip_list "$pkg")" || fail "cannot read $pkg"
  grep -qx "README.md" <<<"$entries" || fail "$id: README.md is not in the package"
  if [[ "${TOOLS[$i]}" == "true" ]]; then
    grep -qE "^tools/net[0-9.]+/any/$asm\.dll$" <<<"$entries" || fail "$id: tools/<tfm>/any/$asm.dll is not in the tool package"
    grep -qE "^tools/net[0-9.]+/any/$asm\.xml$" <<<"$entries" || fail "$id: the XML documentation $asm.xml is not in the tool package"
    grep -qE "^tools/net[0-9.]+/any/DotnetToolSettings\.xml$" <<<"$entries" || fail "$id: DotnetToolSettings.xml is missing (not a .NET tool)"
  else
    grep -qE "^lib/net[0-9.]+/$asm\.dll$" <<<"$entries" || fail "$id: lib/<tfm>/$asm.dll is not in the package"
    grep -qE "^lib/net[0-9.]+/$asm\.xml$" <<<"$entries" || fail "$id: the XML documentation lib/<tfm>/$asm.xml is not in the package"
  fi
  nuspec="$(zip_cat "$pkg" "$id.nuspec")" || fail "$id: no $id.nuspec in the package"
  grep -q "<id>$id</id>" <<<"$nuspec" || fail "$id: the nuspec id is not $id"
  grep -q "<version>$VERSION</version>" <<<"$nuspec" || fail "$id: the nuspec version is not $VERSION"
  grep -q '<license type="expression">MIT</license>' <<<"$nuspec" || fail "$id: the license expression is not MIT"
  grep -q "<readme>README.md</readme>" <<<"$nuspec" || fail "$id: the nuspec names no README"
  grep -qE "<description>[^<]+</description>" <<<"$nuspec" || fail "$id: the nuspec has no description"
  echo "    ok $id.$VERSION.nupkg ($(wc -c <"$pkg") bytes)"
done
step_done

# ---------------------------------------------------------------------------------------------------------------
step "build a separate app from the local feed"
APP="$WORK/consumer"
export NUGET_PACKAGES="$WORK/nuget-packages"   # fresh: nothing cached can stand in for the packed packages
mkdir -p "$APP/stacks" "$NUGET_PACKAGES"
cat >"$APP/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="lamina-local" value="$FEED" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
EOF
cat >"$APP/Consumer.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Lamina.Core" Version="[$VERSION]" />
    <PackageReference Include="Lamina.Aws.Resources" Version="[$VERSION]" />
  </ItemGroup>
</Project>
EOF
cat >"$APP/Program.cs" <<'EOF'
using Lamina;
using Lamina.Aws.Resources.Sqs;

return LaminaApp.Run(args, app =>
{
    var stack = new Stack(app, "consumer");
    var queue = new Queue(stack, "Jobs", new() { VisibilityTimeoutSeconds = 30 });
    stack.AddOutput("jobsUrl", queue.Url);
});
EOF
cat >"$APP/Pulumi.yaml" <<'EOF'
name: consumer
runtime: { name: yaml, options: { compiler: "dotnet run -c Release --no-build -clp:ErrorsOnly -- synth" } }
stackConfigDir: stacks
EOF
printf 'config:\n  aws:region: eu-west-1\n' >"$APP/stacks/Pulumi.dev.yaml"
if ! (cd "$APP" && dotnet build -c Release -nologo -clp:ErrorsOnly) >"$WORK/consumer-build.log" 2>&1; then
  cat "$WORK/consumer-build.log" >&2
  fail "the consumer app did not build against the packages (log above)"
fi
for id in lamina.core lamina.aws.resources; do
  [[ -d "$NUGET_PACKAGES/$id/$VERSION" ]] || fail "$id $VERSION was not restored from the local feed"
done
step_done

step "run the consumer's synth"
SYNTH_ERR="$WORK/synth.err"
if ! OUT="$(cd "$APP" && PULUMI_STACK=dev dotnet bin/Release/net10.0/Consumer.dll synth 2>"$SYNTH_ERR")"; then
  cat "$SYNTH_ERR" >&2
  fail "the consumer's synth failed"
fi
grep -q "type: aws:sqs:Queue" <<<"$OUT" || { echo "$OUT" >&2; fail "the program has no 'type: aws:sqs:Queue'"; }
[[ "$(head -n 1 <<<"$OUT")" == "name: consumer" ]] || { echo "$OUT" >&2; fail "stdout is not just the program"; }
echo "    ok: $(grep -c '^    type: ' <<<"$OUT") resources, including an aws:sqs:Queue"
step_done

# ---------------------------------------------------------------------------------------------------------------
step "install the lamina tool from the local feed"
TOOLS_DIR="$WORK/tools"
if ! dotnet tool install Lamina.Cli --version "$VERSION" --tool-path "$TOOLS_DIR" --configfile "$APP/nuget.config" >"$WORK/tool.log" 2>&1; then
  cat "$WORK/tool.log" >&2
  fail "dotnet tool install Lamina.Cli $VERSION failed (log above)"
fi
TOOL_VERSION="$("$TOOLS_DIR/lamina" --version)" || fail "lamina --version failed"
[[ "$TOOL_VERSION" == "$VERSION" ]] || fail "lamina --version printed '$TOOL_VERSION', expected '$VERSION'"
echo "    ok: lamina --version = $TOOL_VERSION"
LAMINA_OUT="$(cd "$APP/stacks" && "$TOOLS_DIR/lamina" synth 2>"$WORK/lamina.err")" || { cat "$WORK/lamina.err" >&2; fail "lamina synth failed in the consumer project"; }
[[ "$LAMINA_OUT" == "$OUT" ]] || { diff <(echo "$OUT") <(echo "$LAMINA_OUT") >&2 || true; fail "lamina synth printed another program than the app's synth"; }
echo "    ok: lamina synth (run from stacks/) printed the same program"
step_done

echo "pack-and-consume: OK — ${#PROJECTS[@]} packages at $VERSION in $FEED; consumer app and lamina tool work ($(( $(date +%s) - START )) s)"
