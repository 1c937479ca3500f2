#!/usr/bin/env bash
# Builds the site and the booking function for AWS Lambda (provided.al2023,
# x86_64) and writes a deployable bundle, checks it, and prints the exact
# commands that deploy it.
#
#   deploy/package.sh [--out DIR] [--now 2026-11-28] [--stack NAME] [--ci]
#
#   DIR/function.zip             bootstrap (the booking-fn binary) + catalog.json + forms.json
#                                + search/index.json
#   DIR/function-<sha256>.zip    the same zip under a content-addressed name
#   DIR/site/                    the static site (aws s3 sync it)
#   DIR/DEPLOY.txt               the deploy commands, also printed
#
# --ci builds with the `dev` profile and the default features, which
# `cargo test --workspace` has already compiled, instead of the fat-LTO
# `lambda` profile (several minutes on two cores); the bundle is checked the
# same way (ELF for x86-64, executable bootstrap, glibc <= 2.34, catalog,
# index.html). Never deploy a --ci bundle.
set -euo pipefail
cd "$(dirname "$0")/.."

out=dist
now=()
stack=sbiz-portal
profile=lambda
fn_features=(--no-default-features --features dynamodb,lambda,theme)
site_profile=release
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --now) now=(--now "$2"); shift 2 ;;
    --stack) stack="$2"; shift 2 ;;
    --ci) profile=dev; fn_features=(); site_profile=dev; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "package.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

# The Lambda architecture. Only the host's Rust standard library
# (x86_64-unknown-linux-gnu) is available here, so the function is x86_64;
# provided.al2023 has glibc 2.34, which check-bundle.py enforces.
arch=x86_64
[ "$(uname -m)" = "$arch" ] || { echo "package.sh: build on an $arch host" >&2; exit 1; }

target_dir="${CARGO_TARGET_DIR:-target}"
profile_dir="$profile"; [ "$profile" = dev ] && profile_dir=debug
site_dir="$site_profile"; [ "$site_profile" = dev ] && site_dir=debug

if [ "$profile" = dev ]; then
  # The binaries `cargo test --workspace` built (same features, same
  # dev-dependency unification): a no-op after the test run.
  echo "==> reusing the test build's binaries (--ci)" >&2
  cargo test --quiet --workspace --no-run 2>/dev/null
else
  echo "==> building booking-fn (profile $profile)" >&2
  cargo build --quiet --profile "$profile" -p sbiz-booking --bin booking-fn "${fn_features[@]}"
  echo "==> building sbiz (profile $site_profile)" >&2
  cargo build --quiet --profile "$site_profile" -p sbiz-generator --bin sbiz
fi

rm -rf "$out/site" "$out/function" "$out"/function*.zip
mkdir -p "$out/function"
echo "==> building the site into $out/site" >&2
"$target_dir/$site_dir/sbiz" build --out "$out/site" "${now[@]}" >&2

cp "$target_dir/$profile_dir/booking-fn" "$out/function/bootstrap"
# The lambda profile strips already; a --ci (debug) binary would be ~250 MB.
if [ "$profile" = dev ]; then strip "$out/function/bootstrap"; fi
cp "$out/site/catalog.json" "$out/function/catalog.json"
cp "$out/site/forms.json" "$out/function/forms.json"
# The search index, for GET /api/search (search without JavaScript).
mkdir -p "$out/function/search"
cp "$out/site/search/index.json" "$out/function/search/index.json"
python3 deploy/check-bundle.py zip "$out/function" "$out/function.zip"
sum=$(sha256sum "$out/function.zip" | cut -c1-16)
key="function-$sum.zip"
cp "$out/function.zip" "$out/$key"
python3 deploy/check-bundle.py check "$out" "$arch"

abs_out=$(cd "$out" && pwd)
q() { printf "aws cloudformation describe-stacks --stack-name %s --query \"Stacks[0].Outputs[?OutputKey=='%s'].OutputValue\" --output text" "$stack" "$1"; }
cat > "$out/DEPLOY.txt" <<EOF
# Deploy $key (see docs/operator-guide.md). Region: Seoul (ap-northeast-2)
# unless you chose another; the WAF stack goes to us-east-1 (once).
export AWS_REGION=\${AWS_REGION:-ap-northeast-2}
export ARTIFACTS=<a bucket of yours in \$AWS_REGION for function code>

# 0. (once) the per-IP rate limit on /api/*, in us-east-1:
aws cloudformation deploy --region us-east-1 --stack-name $stack-waf \\
  --template-file deploy/waf-us-east-1.yaml
export WEB_ACL_ARN=\$(aws cloudformation describe-stacks --region us-east-1 --stack-name $stack-waf --query "Stacks[0].Outputs[?OutputKey=='WebAclArn'].OutputValue" --output text)

# 1. the function code
aws s3 cp $abs_out/$key s3://\$ARTIFACTS/sbiz/$key

# 2. the stack (function, table, bucket, CloudFront, alarms)
aws cloudformation deploy --stack-name $stack --template-file deploy/template.yaml \\
  --capabilities CAPABILITY_IAM --no-fail-on-empty-changeset \\
  --parameter-overrides CodeS3Bucket=\$ARTIFACTS CodeS3Key=sbiz/$key \\
    WebAclArn=\$WEB_ACL_ARN StaffTokens="\$SBIZ_STAFF_TOKENS" AlarmEmail=ops@example.kr
    # optional: DomainName=sbiz.example.kr CertificateArn=arn:aws:acm:us-east-1:...

export BUCKET=\$($(q SiteBucketName))
export DISTRIBUTION=\$($(q DistributionId))

# 3. the site: fingerprinted assets first (cached a year), then the rest
#    (revalidated; --delete removes pages that no longer exist)
aws s3 sync $abs_out/site/assets s3://\$BUCKET/assets \\
  --cache-control "public, max-age=31536000, immutable"
aws s3 sync $abs_out/site s3://\$BUCKET --delete --exclude "assets/*" \\
  --cache-control "public, max-age=0, s-maxage=300, must-revalidate"

# 4. edges drop their copies of pages now (one wildcard path)
aws cloudfront create-invalidation --distribution-id \$DISTRIBUTION --paths "/*"
EOF
cat "$out/DEPLOY.txt"
