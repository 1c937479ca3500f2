#!/usr/bin/env bash
# Builds the site and the booking function for AWS Lambda (provided.al2023,
# x86_64) and writes a deployable bundle, checks it, and prints the exact
# commands that deploy it.
#
#   deploy/package.sh [--out DIR] [--base-url URL] [--now 2026-11-28] [--stack NAME] [--ci]
#
#   DIR/function.zip             bootstrap (the booking-fn binary) + catalog.json + forms.json
#                                + search/index.json (+ en/search/index.json with an English edition)
#   DIR/function-<sha256>.zip    the same zip under a content-addressed name
#   DIR/site/                    the static site (aws s3 sync it)
#   DIR/DEPLOY.txt               the deploy commands, also printed
#
# DIR (default dist) is relative to the current directory. --base-url is the
# site's public origin (e.g. https://d111111abcdef8.cloudfront.net, the
# stack's SiteUrl output) when it is not content/site.yaml's base_url: the
# site is built with it (canonical links, sitemap, feeds), content/ is left
# as it is. The function takes its own origin from the stack.
#
# --ci builds with the `dev` profile and the default features, which
# `cargo test --workspace` has already compiled, instead of the fat-LTO
# `lambda` profile (several minutes on two cores); the bundle is checked the
# same way (ELF for x86-64, executable bootstrap, glibc <= 2.34, catalog,
# index.html). Never deploy a --ci bundle.
set -euo pipefail
caller_dir=$(pwd)
cd "$(dirname "$0")/.."
root=$(pwd)

out=dist
base_url=
now=()
stack=sbiz-portal
profile=lambda
fn_features=(--no-default-features --features dynamodb,lambda,theme,aws-messaging)
site_profile=release
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --base-url) base_url="${2%/}"; shift 2 ;;
    --now) now=(--now "$2"); shift 2 ;;
    --stack) stack="$2"; shift 2 ;;
    --ci) profile=dev; fn_features=(); site_profile=dev; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "package.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

# --out is relative to where the script was called from.
case "$out" in /*) ;; *) out="$caller_dir/$out" ;; esac
if [ -n "$base_url" ] && ! [[ "$base_url" =~ ^https?://[^/]+$ ]]; then
  echo "package.sh: --base-url takes an origin such as https://d111111abcdef8.cloudfront.net" >&2
  exit 2
fi

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
  cargo test --quiet --workspace --no-run
else
  echo "==> building booking-fn (profile $profile)" >&2
  cargo build --quiet --profile "$profile" -p sbiz-booking --bin booking-fn "${fn_features[@]}"
  echo "==> building sbiz (profile $site_profile)" >&2
  cargo build --quiet --profile "$site_profile" -p sbiz-generator --bin sbiz
fi

rm -rf "$out/site" "$out/function" "$out"/function*.zip "$out/site-src"
mkdir -p "$out/function"
site_root=.
if [ -n "$base_url" ]; then
  # A copy of content/ whose site settings name the given base URL.
  site_root="$out/site-src"
  mkdir -p "$site_root"
  cp -r content "$site_root/content"
  python3 - "$site_root/content/site.yaml" "$base_url" <<'PY'
import re, sys
path, url = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
new, n = re.subn(r"(?m)^base_url:.*$", "base_url: " + url, text, count=1)
if n != 1:
    sys.exit("package.sh: no top-level base_url in content/site.yaml")
open(path, "w", encoding="utf-8").write(new)
PY
fi
echo "==> building the site into $out/site" >&2
"$target_dir/$site_dir/sbiz" build --root "$site_root" --themes "$root/themes" --out "$out/site" "${now[@]}" >&2
rm -rf "$out/site-src"
site_base=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["origin"].rstrip("/"))' "$out/site/catalog.json")

cp "$target_dir/$profile_dir/booking-fn" "$out/function/bootstrap"
# The lambda profile strips already; a --ci (debug) binary would be ~250 MB.
if [ "$profile" = dev ]; then strip "$out/function/bootstrap"; fi
cp "$out/site/catalog.json" "$out/function/catalog.json"
cp "$out/site/forms.json" "$out/function/forms.json"
# The search indexes, for GET /api/search (search without JavaScript): the
# English edition's too, when the site has one.
mkdir -p "$out/function/search"
cp "$out/site/search/index.json" "$out/function/search/index.json"
if [ -f "$out/site/en/search/index.json" ]; then
  mkdir -p "$out/function/en/search"
  cp "$out/site/en/search/index.json" "$out/function/en/search/index.json"
fi
python3 deploy/check-bundle.py zip "$out/function" "$out/function.zip"
sum=$(sha256sum "$out/function.zip" | cut -c1-16)
key="function-$sum.zip"
cp "$out/function.zip" "$out/$key"
python3 deploy/check-bundle.py check "$out" "$arch"

abs_out=$(cd "$out" && pwd)
q() { printf "aws cloudformation describe-stacks --stack-name %s --query \"Stacks[0].Outputs[?OutputKey=='%s'].OutputValue\" --output text" "$stack" "$1"; }
cat > "$out/DEPLOY.txt" <<EOF
# Deploy $key (see docs/operator-guide.md, "Packaging and deploying").
# Every path is absolute: run these from any directory. Region: Seoul
# (ap-northeast-2) unless you choose another.
export AWS_REGION=\${AWS_REGION:-ap-northeast-2}
export ARTIFACTS=\${ARTIFACTS:-$stack-artifacts-\$(aws sts get-caller-identity --query Account --output text)}

# 1. (once) a private bucket for function code; then the code
aws s3api head-bucket --bucket \$ARTIFACTS 2>/dev/null || aws s3 mb s3://\$ARTIFACTS
aws s3api put-public-access-block --bucket \$ARTIFACTS --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
aws s3 cp $abs_out/$key s3://\$ARTIFACTS/sbiz/$key

# 2. the stack (function, table, bucket, CloudFront, schedule, alarms). Only
#    the code is given here: on updates every other parameter keeps its value.
#    The first deployment needs no domain: the function accepts form posts
#    from, and links to, https://<distribution>.cloudfront.net.
#    OriginSecret, which CloudFront sends to the function so that the HTTP
#    API's own address answers nothing, is generated once: ORIGIN_SECRET is
#    OriginSecret=<64 random hex digits> when the stack has no such
#    parameter yet (first deployment, or a stack from before it), and empty
#    when the stack has it (its value is kept).
#    Optional parameters (add them once; they are kept):
#      AlarmEmail=<an address of yours>   (AWS mails it a confirmation link)
#      WebAclArn=\$WEB_ACL_ARN             (step 6)
#      DomainName=<your domain> CertificateArn=<ACM certificate in us-east-1>
#      UseExistingTable=true ExistingServerSecretArn=<ARN>   (recreating a deleted stack)
if [ "\$(aws cloudformation describe-stacks --stack-name $stack --query "Stacks[0].Parameters[?ParameterKey=='OriginSecret'].ParameterKey" --output text 2>/dev/null)" = OriginSecret ]; then
  ORIGIN_SECRET=
else
  ORIGIN_SECRET="OriginSecret=\$(openssl rand -hex 32)"
fi
aws cloudformation deploy --stack-name $stack --template-file $root/deploy/template.yaml \\
  --capabilities CAPABILITY_IAM --no-fail-on-empty-changeset \\
  --parameter-overrides CodeS3Bucket=\$ARTIFACTS CodeS3Key=sbiz/$key \$ORIGIN_SECRET

export BUCKET=\$($(q SiteBucketName))
export DISTRIBUTION=\$($(q DistributionId))
export SITE_URL=\$($(q SiteUrl))
aws cloudformation describe-stacks --stack-name $stack --query "Stacks[0].Outputs" --output table
# Note the ServerSecretArn output: a stack recreated over the kept table needs it.

# 3. the site: fingerprinted assets first (cached a year), then the rest
#    (revalidated; --delete removes pages that no longer exist, but not the
#    usage open data published beside them: docs/operator-guide.md)
aws s3 sync $abs_out/site/assets s3://\$BUCKET/assets \\
  --cache-control "public, max-age=31536000, immutable"
aws s3 sync $abs_out/site s3://\$BUCKET --delete --exclude "assets/*" --exclude "data/usage/*" \\
  --cache-control "public, max-age=0, s-maxage=300, must-revalidate"

# 4. edges drop their copies of pages now (one wildcard path)
aws cloudfront create-invalidation --distribution-id \$DISTRIBUTION --paths "/*"

# This site was built for $site_base. When the stack's SiteUrl differs (a
# first deployment without a domain), bookings work all the same; rebuild so
# that canonical links, the sitemap and the feeds name the real address, and
# follow the new DEPLOY.txt:
[ "\$SITE_URL" = "$site_base" ] || echo "rebuild: $root/deploy/package.sh --base-url \$SITE_URL --out $abs_out --stack $stack"

# 5. (once, then whenever staff change) staff tokens: only their hashes
#    (booking-fn hash-token TOKEN) in a secret that the function reads when
#    it starts, never in a stack parameter. SCOPE is a facility id or *.
#      aws secretsmanager create-secret --name $stack/staff-tokens --secret-string "SCOPE:HASH,SCOPE:HASH"
#    later: aws secretsmanager put-secret-value --secret-id $stack/staff-tokens --secret-string "..."
#    then start fresh function instances (other parameters keep their values):
#      aws cloudformation deploy --stack-name $stack --template-file $root/deploy/template.yaml \\
#        --capabilities CAPABILITY_IAM --parameter-overrides StaffTokensRevision=\$(date +%s)

# 6. (optional, once) a per-IP rate limit on /api/* needs WAF, whose
#    CloudFront web ACLs live in us-east-1: a separate small stack, then
#    step 2 once more with WebAclArn=\$WEB_ACL_ARN.
#      aws cloudformation deploy --region us-east-1 --stack-name $stack-waf \\
#        --template-file $root/deploy/waf-us-east-1.yaml
#      export WEB_ACL_ARN=\$(aws cloudformation describe-stacks --region us-east-1 --stack-name $stack-waf --query "Stacks[0].Outputs[?OutputKey=='WebAclArn'].OutputValue" --output text)
EOF
cat "$out/DEPLOY.txt"
