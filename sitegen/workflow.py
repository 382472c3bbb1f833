"""The GitHub Pages workflow `sitegen init` writes: build, cache the build for the next deploy, publish."""
from __future__ import annotations

import hashlib
import json

from .config import CONFIG_FILE
from .pins import check_spec, running_pin


class InitError(Exception):
    pass


def scalar(value: str) -> str:
    """Write a string as a YAML scalar: plain when it reads back the same, else double-quoted."""
    from .load import yamlstrict  # here: only `sitegen init` needs PyYAML at once
    try:
        plain_ok = yamlstrict.load(f"v: {value}\n")[0] == {"v": value}
    except yamlstrict.YamlError:
        plain_ok = False
    return value if plain_ok and value == value.strip() else json.dumps(value, ensure_ascii=False)


# ${{ ... }} is GitHub Actions syntax, hence @NAME@ placeholders rather than str.format.
WORKFLOW_TEMPLATE = """\
# Build the site with sitegen and publish it on GitHub Pages on every push to main. On a pull
# request, build it as a check: each card's problems show on its file, nothing is deployed.
# Each deploy keeps its build in the Actions cache, so the next builds only what changed.
# Enable once: Settings > Pages > Build and deployment > Source: "GitHub Actions".
name: Deploy the model site to Pages

on:
  push:
    branches: [main]
  pull_request:
  workflow_dispatch:

permissions: {}

jobs:
  build:
    name: Build the site
    runs-on: ubuntu-latest
    permissions:
      contents: read  # check out the models
      pages: read  # configure-pages reads the address Pages gives this repository
    # A newer push to the same pull request replaces its check; builds of main all finish.
    concurrency:
      group: pages-build-${{ github.ref }}
      cancel-in-progress: ${{ github.event_name == 'pull_request' }}
    steps:
      - name: Check out the models with their history (each model's date is its last commit's)
        uses: actions/checkout@v4
        with:
          fetch-depth: 0
          persist-credentials: false
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install sitegen
        run: |
          pip install '@INSTALL@'
      - name: Fetch the Git LFS files the pages show (images, audio), never the weights
        env:
          TOKEN: ${{ github.token }}
        run: |
          files="$(sitegen lfs-files)"
          if [ -n "$files" ]; then
            auth="$(printf 'x-access-token:%s' "$TOKEN" | base64 -w0)"
            GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.https://github.com/.extraheader \\
              GIT_CONFIG_VALUE_0="AUTHORIZATION: basic $auth" git lfs pull --include="$files"
          fi
      - id: pages
        if: github.event_name != 'pull_request'
        uses: actions/configure-pages@v5
      # The last deploy's build state (JSON, in ~/.cache/sitegen/builds) and its site: the build
      # then makes only the models that changed. Deploys only: a pull request neither reads nor
      # writes it. The key names this sitegen and sitegen.yaml; sitegen itself also checks its
      # version, theme and settings, and rebuilds whatever does not match.
      - name: Restore the last deploy's build
        if: github.event_name != 'pull_request'
        uses: actions/cache/restore@v4
        with:
          path: |
            ~/.cache/sitegen/builds
            @OUTPUT_PATH@
          key: @CACHE_KEY@-${{ github.run_id }}-${{ github.run_attempt }}
          restore-keys: |
            @CACHE_KEY@-
      # Settings come from sitegen.yaml; a card's problems become annotations and a summary.
      - name: Build the site
        env:
          BASE_URL: ${{ steps.pages.outputs.base_url }}
        run: sitegen build --format github ${BASE_URL:+--base-url "$BASE_URL/"}
      - if: github.event_name != 'pull_request'
        uses: actions/upload-pages-artifact@v3
        with:
          path: @OUTPUT@
      - name: Keep this build for the next deploy
        if: github.event_name != 'pull_request' && github.ref == 'refs/heads/main'
        uses: actions/cache/save@v4
        with:
          path: |
            ~/.cache/sitegen/builds
            @OUTPUT_PATH@
          key: @CACHE_KEY@-${{ github.run_id }}-${{ github.run_attempt }}

  deploy:
    name: Deploy to GitHub Pages
    if: github.event_name != 'pull_request'
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write  # publish the site
      id-token: write  # prove to Pages that this workflow made the artifact
    # One deployment at a time; a running one finishes rather than being cut off halfway.
    concurrency:
      group: pages
      cancel-in-progress: false
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""

# zizmor (a linter for workflows) asks for actions pinned by commit hash. GitHub's own
# actions are pinned by version tag here: a hash cannot be looked up or checked offline.
ZIZMOR_CONFIG = """\
# zizmor (https://docs.zizmor.sh) settings: GitHub's own actions may be pinned by version tag.
rules:
  unpinned-uses:
    config:
      policies:
        "actions/*": ref-pin
"""


def text(output: str, install: str | None = None) -> str:
    """Return the text of a GitHub Actions workflow that builds the site and deploys it to Pages
    (`install`: the pip requirement it installs, checked; default: the sitegen running now)."""
    install = running_pin().spec if install is None else install
    if "${{" in output:
        raise InitError(f"--output: {output!r}: expected a folder name without '${{{{'")
    if not output.isprintable() or output != output.strip() or output[:1] in ("!", "#", ""):
        raise InitError(f"--output: {output!r}: expected a folder name the cache step can carry "
                        "(printable, no space at either end, not starting with ! or #)")
    install = check_spec(install)
    # The cache key: this sitegen (its pip requirement) and its settings file.
    key = f"sitegen-{hashlib.sha256(install.encode()).hexdigest()[:16]}-${{{{ hashFiles('{CONFIG_FILE}') }}}}"
    return (WORKFLOW_TEMPLATE.replace("@INSTALL@", install).replace("@OUTPUT_PATH@", output)
            .replace("@CACHE_KEY@", key).replace("@OUTPUT@", scalar(output)))
