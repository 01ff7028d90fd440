#!/bin/bash
# The .deb's post-install (electron-builder.yml deb.afterInstall). It replaces electron-builder's
# own after-install.tpl, so its first part does what that one does; the second is the station's.
# electron-builder fills in the two macros in braces (the executable's name and the install
# folder) and refuses any other, so this script's own variables are written without braces.
set -e

# Filled in by electron-builder, not by the shell: single quotes on purpose.
# shellcheck disable=SC2016
app_dir='/opt/${sanitizedProductName}'
# shellcheck disable=SC2016
exe='${executable}'

# --- As electron-builder's template: the command on the PATH, the sandbox helper, menus, AppArmor.
if type update-alternatives >/dev/null 2>&1; then
  # A plain link from an older package is replaced by the alternatives' one.
  if [ -L "/usr/bin/$exe" ] && [ -e "/usr/bin/$exe" ] && [ "$(readlink "/usr/bin/$exe")" != "/etc/alternatives/$exe" ]; then
    rm -f "/usr/bin/$exe"
  fi
  update-alternatives --install "/usr/bin/$exe" "$exe" "$app_dir/$exe" 100 || ln -sf "$app_dir/$exe" "/usr/bin/$exe"
else
  ln -sf "$app_dir/$exe" "/usr/bin/$exe"
fi

# Chromium's SUID sandbox helper only where the kernel has no usable user namespaces.
if [ -L /proc/self/ns/user ] && unshare --user true 2>/dev/null; then
  chmod 0755 "$app_dir/chrome-sandbox" || true
else
  chmod 4755 "$app_dir/chrome-sandbox" || true
fi

if hash update-mime-database 2>/dev/null; then
  update-mime-database /usr/share/mime || true
fi
if hash update-desktop-database 2>/dev/null; then
  update-desktop-database /usr/share/applications || true
fi

# Ubuntu 24.04 and later confine unprivileged user namespaces: the bundled profile lets the app
# use its sandbox. Installed only where this AppArmor can parse it (22.04's cannot, and needs none).
if apparmor_status --enabled >/dev/null 2>&1; then
  profile_source="$app_dir/resources/apparmor-profile"
  profile_target="/etc/apparmor.d/$exe"
  if apparmor_parser --skip-kernel-load --debug "$profile_source" >/dev/null 2>&1; then
    cp -f "$profile_source" "$profile_target"
    # A chroot (an image being prepared for many machines) has no kernel profile to replace.
    if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      # As electron-builder's template: a profile that will not load is said, not an install that fails.
      apparmor_parser --replace --write-cache --skip-read-cache "$profile_target" || echo "The AppArmor profile $profile_target could not be loaded"
    fi
  else
    echo "Skipping the installation of the AppArmor profile: this AppArmor cannot read the bundled one"
  fi
fi

# --- The station's service account (docs/deployment.md), only where the site chose it by making
# /etc/evidence-station/service-account before installing. Idempotent: an upgrade finds the
# account and the folder made and leaves their contents alone.
if [ -e /etc/evidence-station/service-account ]; then
  account=evidence-station
  data_dir=/var/lib/evidence-station
  if ! getent passwd "$account" >/dev/null; then
    # A system account: no password, no login shell, its home the data folder.
    useradd --system --user-group --home-dir "$data_dir" --no-create-home --shell /usr/sbin/nologin \
      --comment 'Evidence Station' "$account"
  fi
  mkdir -p "$data_dir"
  # Only the folder itself: its contents are the station's, already private (private-modes.ts),
  # and a vault of millions of recordings is never walked here.
  chown "$account:$account" "$data_dir"
  chmod 0700 "$data_dir"
fi
