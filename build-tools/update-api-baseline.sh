#!/bin/sh
# Makes a module's API as it is now the baseline that the build's compatibility check
# (japicmp, configured in the root pom) compares against: builds the module's jar and copies it
# to <module>/api-baseline/<artifactId>-baseline.jar. Commit the jar afterwards.
#
#   build-tools/update-api-baseline.sh proxy-api [-o]
#   build-tools/update-api-baseline.sh testkit [-o]
#
# Run it when a version is released, or together with a deliberate, documented break (list it
# under "Migrating" in docs/plugin-development.md). Extra arguments go to Maven, e.g. -o.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
module=${1:?usage: $0 MODULE [maven arguments], e.g. proxy-api or testkit}
shift
module_dir="$root/$module"
here="$module_dir/api-baseline"
# the module's artifactId (the baseline is named after it; the folder may differ, e.g. testkit)
artifact=$(sed -n 's:^  <artifactId>\(.*\)</artifactId>.*:\1:p' "$module_dir/pom.xml" | head -n 1)

mvn -B -q -f "$root/pom.xml" -pl "$module" -am package -DskipTests \
    -Djapicmp.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true "$@"

jar=$(find "$module_dir/target" -maxdepth 1 -name "$artifact-*.jar" \
    ! -name '*-sources.jar' ! -name '*-javadoc.jar' ! -name '*-tests.jar' | head -n 1)
if [ -z "$jar" ]; then
    echo "no $artifact jar in $module_dir/target" >&2
    exit 1
fi
cp "$jar" "$here/$artifact-baseline.jar"
echo "API baseline updated: $here/$artifact-baseline.jar (from $(basename "$jar")); commit it"
