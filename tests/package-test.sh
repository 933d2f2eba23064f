#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Packaging tests: what a distribution or a user installing out-of-tree
# modules relies on. Once per run:
#   - dkms.conf names the modules module/*/Kbuild build, and its
#     PACKAGE_VERSION is WDMISR_VERSION (the top-level Makefile);
#   - the udev rule matches the class and node names of the driver,
#     README.md states its mode and group, and the sysusers.d entry
#     declares that group;
#   - the modprobe.d example changes nothing as shipped; uncommented, it sets
#     every parameter of wdmisr.ko and nothing else.
# Once, in a copy of the tree without build/: bare 'make' (no KDIR, no
# KVER) names the kernel it picked and builds for it, and bare 'make
# install DESTDIR=...' and 'make uninstall' install and remove the modules
# and the porter's kit for that release.
# For each kernel release given:
#   - 'make driver-modules' builds wdm.ko and wdmisr.ko, and modinfo of each
#     shows description, license, author, version, every parameter declared
#     with module_param*() in its sources with a description, and exactly
#     the PCI aliases of the IDs in its sources (edu and ivshmem for wdmisr);
#   - 'make install' into a DESTDIR installs exactly the expected files with
#     their modes, the porter's kit among them (wdm.h, wdf.h and uapi/wdmisr.h as
#     in the tree, build/REL/Module.symvers with wdm.ko's exports, wdm.mk),
#     and 'make uninstall' removes exactly them, and the kit's directories;
#   - DKMS: 'dkms add' of a clean copy of the sources, 'dkms build' and
#     'dkms install' for the kernel put exactly the two modules into
#     /lib/modules/REL/updates/dkms, where 'modinfo -k REL' finds them with
#     the fields above; after 'dkms remove --all', /lib/modules/REL (file
#     names and the modules.* indexes), /var/lib/dkms and /usr/src are as
#     they were. Where REL's headers are installed without its image (the
#     guests boot the kernels scripts/deps.sh caches), /lib/modules/REL has
#     no modules.* before DKMS; the ones its depmod writes must list no
#     module after the remove, and are deleted.
#
# Usage: tests/package-test.sh KERNEL_RELEASE...      (as root)
# Each release needs its headers: /usr/src/linux-headers-REL, and the
# /lib/modules/REL/build link to them that DKMS builds against.
# Prints "ok - ..." / "not ok - ..." per check, then "N passed, N failed";
# exit status 0 only if nothing failed. Runs wait for each other (a lock),
# and the leftovers of an interrupted run are removed first. Logs are kept
# in a temporary directory named at the end when something failed.
set -euo pipefail
export LC_ALL=C

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCK=/run/lock/wdmisr-package-test.lock
STAMP=package-test.stamp
# The PCI IDs wdmisr.ko must claim whatever its sources say: edu, ivshmem.
REQUIRED_WDMISR_IDS="1234:11e8 1af4:1110"

if [ $# -eq 0 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
	sed -n '3,37p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
fi

# dkms_conf WORDS: WORDS (quoted for bash) after sourcing dkms.conf, as
# dkms does; one per line.
dkms_conf() {
	(cd "$TOP" && bash -c ". ./dkms.conf; printf '%s\n' $1")
}

passed=0
failed=0
work=$(mktemp -d "${TMPDIR:-/tmp}/wdmisr-package.XXXXXX")
version=$(sed -n 's/^WDMISR_VERSION[[:space:]]*:=[[:space:]]*//p' "$TOP/Makefile")
# The version DKMS goes by; it should be $version, which a check says.
dkms_version=$(dkms_conf '"$PACKAGE_VERSION"')
dkms_src=/usr/src/wdmisr-$dkms_version
dkms_owned=0

ok() {
	passed=$((passed + 1))
	echo "ok - $*"
}

not_ok() {
	failed=$((failed + 1))
	echo "not ok - $*"
}

# check_eq NAME EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		diff <(echo "$2") <(echo "$3") | sed 's/^/#   /' || true
	fi
}

# check_cmd NAME LOG CMD...: CMD's exit status, its output appended to LOG.
check_cmd() {
	local name=$1 log=$2

	shift 2
	echo "\$ $*" >>"$log"
	if "$@" >>"$log" 2>&1; then
		ok "$name"
		return 0
	fi
	not_ok "$name (log: $log)"
	tail -n 15 "$log" | sed 's/^/#   /'
	return 1
}

# ---- what the sources say -------------------------------------------------------

# The modules module/*/Kbuild build, one per line.
kbuild_modules() {
	sed -n 's/^obj-\$(CONFIG_[A-Z_]*)[[:space:]]*+=[[:space:]]*\([a-z_]*\)\.o$/\1/p' \
		"$TOP"/module/*/Kbuild | sort
}

# module_sources MOD: the .c files module/MOD/Kbuild links into MOD.ko.
module_sources() {
	local o

	for o in $(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$TOP/module/$1/Kbuild" |
		   sed -n "s/^$1-y[[:space:]]*[:+]*=//p"); do
		echo "$TOP/module/$1/${o%.o}.c"
	done
}

# declared_params MOD: the parameters MOD's sources declare, sorted.
declared_params() {
	module_sources "$1" | xargs cat |
		{ grep -o 'module_param[a-z_]*([[:space:]]*[A-Za-z0-9_]*' || true; } |
		sed 's/.*([[:space:]]*//' | sort -u
}

# table_ids MOD: vendor and device of each PCI_DEVICE() in the tables that
# MOD's sources name in MODULE_DEVICE_TABLE(pci, ...).
table_ids() {
	local src t

	src=$(module_sources "$1" | xargs cat)
	for t in $(sed -n 's/^MODULE_DEVICE_TABLE(pci,[[:space:]]*\([A-Za-z0-9_]*\));/\1/p' <<<"$src"); do
		awk -v t="$t" 'index($0, " " t "[] = {") { on = 1 } on { print } /^};/ { on = 0 }' <<<"$src" |
			sed -n 's/.*PCI_DEVICE(0x\([0-9a-fA-F]*\),[[:space:]]*0x\([0-9a-fA-F]*\)).*/\1 \2/p'
	done
}

# expected_aliases MOD: the modalias of every ID in table_ids (and, for
# wdmisr, of REQUIRED_WDMISR_IDS), sorted.
expected_aliases() {
	local v d

	{
		table_ids "$1"
		if [ "$1" = wdmisr ]; then
			tr ' :' '\n ' <<<"$REQUIRED_WDMISR_IDS"
		fi
	} | while read -r v d; do
		printf 'pci:v%08Xd%08Xsv*sd*bc*sc*i*\n' "0x$v" "0x$d"
	done | sort -u
}

# modinfo_checks LABEL MOD MODINFO_ARGS...: the fields of one module.
modinfo_checks() {
	local label=$1 mod=$2 info params names field

	shift 2
	if ! info=$(modinfo "$@" 2>&1); then
		not_ok "$label: modinfo $* ($info)"
		return
	fi
	for field in description author; do
		if grep -q "^$field:[[:space:]]*[^[:space:]]" <<<"$info"; then
			ok "$label: $field"
		else
			not_ok "$label: no $field"
		fi
	done
	check_eq "$label: license GPL" GPL "$(modinfo -F license "$@")"
	check_eq "$label: version $version" "$version" "$(modinfo -F version "$@")"
	# "name:description[ (type)]": without a description, either no line
	# or nothing but the type after the colon.
	params=$(modinfo -F parm "$@" |
		awk -F: '{ d = substr($0, length($1) + 2) }
			 d != "" && d !~ /^ \([^)]*\)$/ { print $1 }' | sort)
	names=$(declared_params "$mod" | xargs)
	check_eq "$label: a description for every parameter (${names:-none})" \
		"$(declared_params "$mod")" "$params"
	check_eq "$label: PCI aliases ($(expected_aliases "$mod" | wc -l))" \
		"$(expected_aliases "$mod")" "$(modinfo -F alias "$@" | sort)"
}

# ---- once per run ---------------------------------------------------------------

static_checks() {
	local names conf_version rule mode group class node conf dir params

	names=$(dkms_conf '"${BUILT_MODULE_NAME[@]}"' | sort)
	check_eq "dkms.conf builds the modules of module/*/Kbuild ($(kbuild_modules | xargs))" \
		"$(kbuild_modules)" "$names"
	conf_version=$(dkms_conf '"$PACKAGE_NAME/$PACKAGE_VERSION"')
	check_eq "dkms.conf is wdmisr/WDMISR_VERSION ($version)" "wdmisr/$version" "$conf_version"

	rule=$(grep -v '^#' "$TOP/packaging/udev/60-wdmisr.rules")
	mode=$(sed -n 's/.*MODE="\([0-7]*\)".*/\1/p' <<<"$rule")
	group=$(sed -n 's/.*GROUP="\([a-z_]*\)".*/\1/p' <<<"$rule")
	class=$(sed -n 's/.*wdmisr_class_create("\([a-z]*\)").*/\1/p' "$TOP/module/wdmisr/wdmisr_cdev.c")
	node=$(sed -n 's/.*dev_set_name([^"]*"\([a-z]*\)%d".*/\1/p' "$TOP/module/wdmisr/wdmisr_cdev.c")
	check_eq "udev rule matches class '$class', nodes '${node}[0-9]*'" \
		"KERNEL==\"${node}[0-9]*\", SUBSYSTEM==\"$class\"" \
		"$(grep -o 'KERNEL=="[^"]*", SUBSYSTEM=="[^"]*"' <<<"$rule")"
	if [ -n "$mode" ] && [ -n "$group" ] && grep -qF "root:$group $mode" "$TOP/README.md"; then
		ok "README.md states the udev rule's root:$group $mode"
	else
		not_ok "README.md does not state the udev rule's mode and group ('root:$group $mode')"
	fi
	check_eq "the sysusers.d entry declares the udev rule's group, a system group ('$group')" \
		"g $group -" "$(grep -v '^#' "$TOP/packaging/sysusers.d/wdmisr.conf" | xargs)"

	dir=$work/modprobe.d
	mkdir -p "$dir"
	cp "$TOP/packaging/modprobe.d/wdmisr.conf" "$dir/wdmisr.conf"
	conf=$(modprobe -C "$dir" -c | sed '/^# End of configuration files/q' |
	       grep -E '^[a-z]+ (wdm|wdmisr)( |$)' || true)
	check_eq "modprobe.d example sets nothing as shipped" "" "$conf"
	sed -i 's/^#options /options /' "$dir/wdmisr.conf"
	params=$(modprobe -C "$dir" -c | sed '/^# End of configuration files/q' |
		 sed -n 's/^options wdmisr //p' | tr ' ' '\n' | sed 's/=.*//' | sort)
	check_eq "modprobe.d example, uncommented, sets each wdmisr.ko parameter once" \
		"$(declared_params wdmisr)" "$params"
}

# ---- the modules of one kernel, make install and uninstall ----------------------

build_checks() {
	local rel=$1
	local log=$work/build-$rel.log mod

	check_cmd "make driver-modules for $rel" "$log" \
		make -C "$TOP" --no-print-directory driver-modules \
		KDIR="/usr/src/linux-headers-$rel" || return 0
	for mod in $(kbuild_modules); do
		modinfo_checks "$mod.ko for $rel" "$mod" "$TOP/build/$rel/module/$mod/$mod.ko"
	done
}

# installed_files DIR: type, mode and path of everything but directories.
installed_files() {
	(cd "$1" && find . ! -type d -printf '%y %m %P\n' | sort)
}

install_checks() {
	local rel=$1
	local dest=$work/dest-$rel log=$work/install-$rel.log expected mod

	mkdir -p "$dest/etc/modprobe.d"
	echo "options snd_dummy index=1" >"$dest/etc/modprobe.d/other.conf"
	chmod 0644 "$dest/etc/modprobe.d/other.conf"
	check_cmd "make install DESTDIR=... KVER=$rel" "$log" \
		make -C "$TOP" --no-print-directory install DESTDIR="$dest" KVER="$rel" ||
		return 0
	expected=$(sort <<-EOF
		f 644 etc/modprobe.d/other.conf
		f 644 etc/modprobe.d/wdmisr.conf.example
		f 644 usr/lib/udev/rules.d/60-wdmisr.rules
		f 644 usr/lib/sysusers.d/wdmisr.conf
		$(for mod in $(kbuild_modules); do echo "f 644 lib/modules/$rel/updates/$mod.ko"; done)
		f 755 usr/local/bin/wdmisr-read
		f 644 usr/local/share/man/man1/wdmisr-read.1
		f 755 usr/local/bin/wdmstat
		f 644 usr/local/share/man/man1/wdmstat.1
		f 644 usr/local/include/wdm/wdm.h
		f 644 usr/local/include/wdm/wdf.h
		f 644 usr/local/include/wdm/uapi/wdmisr.h
		f 644 usr/local/lib/wdm/$rel/Module.symvers
		f 644 usr/local/share/wdm/wdm.mk
		EOF
	)
	check_eq "make install for $rel: exactly the expected files and modes" \
		"$expected" "$(installed_files "$dest")"
	check_eq "the kit's headers and wdm.mk are the tree's" "" \
		"$(for f in include/wdm.h:include/wdm/wdm.h include/wdf.h:include/wdm/wdf.h \
			    include/uapi/wdmisr.h:include/wdm/uapi/wdmisr.h \
			    packaging/wdm.mk:share/wdm/wdm.mk; do
			cmp -s "$TOP/${f%%:*}" "$dest/usr/local/${f#*:}" || echo "${f#*:} differs"
		   done)"
	if cmp -s "$TOP/build/$rel/Module.symvers" "$dest/usr/local/lib/wdm/$rel/Module.symvers" &&
	   grep -q $'\tIoConnectInterruptEx\t.*/wdm\tEXPORT_SYMBOL_GPL' \
		"$dest/usr/local/lib/wdm/$rel/Module.symvers"; then
		ok "the kit's Module.symvers is wdm.ko's for $rel"
	else
		not_ok "the kit's Module.symvers is not build/$rel/Module.symvers with wdm.ko's exports"
	fi
	check_eq "installed modules are the ones built for $rel" \
		"$(kbuild_modules | sed "s|$|: $rel|")" \
		"$(for mod in $(kbuild_modules); do
			cmp -s "$TOP/build/$rel/module/$mod/$mod.ko" "$dest/lib/modules/$rel/updates/$mod.ko" &&
			echo "$mod: $(modinfo -F vermagic "$dest/lib/modules/$rel/updates/$mod.ko" | cut -d' ' -f1)"
		   done)"
	check_eq "installed wdmisr-read --version" "wdmisr-read $version" \
		"$("$dest/usr/local/bin/wdmisr-read" --version 2>&1)"
	check_eq "installed wdmstat --version" "wdmstat $version" \
		"$("$dest/usr/local/bin/wdmstat" --version 2>&1)"
	check_cmd "make uninstall DESTDIR=... KVER=$rel" "$log" \
		make -C "$TOP" --no-print-directory uninstall DESTDIR="$dest" KVER="$rel" ||
		return 0
	check_eq "make uninstall for $rel removes exactly what install installed" \
		"f 644 etc/modprobe.d/other.conf" "$(installed_files "$dest")"
	check_eq "make uninstall for $rel leaves no directory of the kit" "" \
		"$(cd "$dest" && find usr/local -path '*/wdm' -o -path '*/wdm/*')"
}

# ---- bare make, in a clean copy ------------------------------------------------

# What a user does first: 'make' and 'make install' with neither KDIR nor
# KVER, in a copy of the tree without build/. The Makefile picks the
# kernel and says which; the install must then hold the modules and the
# porter's kit for that release.
bare_make_checks() {
	local src=$work/bare-src dest=$work/bare-dest log=$work/bare-make.log rel

	mkdir -p "$src"
	if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$TOP" && git ls-files -co --exclude-standard | cpio -pdm --quiet "$src")
	else
		(cd "$TOP" && tar --exclude=./build -cf - .) | tar -C "$src" -xf -
	fi
	check_cmd "bare 'make' in a clean copy of the tree" "$log" \
		env -u KDIR -u KVER make -C "$src" --no-print-directory || return 0
	rel=$(sed -n 's/^make: building the modules for \([^ ]*\) (KDIR=.*/\1/p' "$log" | head -n 1)
	if [ -n "$rel" ] && [ -f "$src/build/$rel/Module.symvers" ]; then
		ok "bare 'make' named the kernel it chose ($rel) and built for it"
	else
		not_ok "bare 'make' printed no 'make: building the modules for REL' (log: $log)"
		return 0
	fi
	check_cmd "bare 'make install DESTDIR=...' in the copy" "$log" \
		env -u KDIR -u KVER make -C "$src" --no-print-directory install DESTDIR="$dest" || return 0
	check_eq "bare 'make install' installed the modules and the kit for $rel" \
		"$(printf '%s\n' "lib/modules/$rel/updates/wdm.ko" "lib/modules/$rel/updates/wdmisr.ko" \
			"usr/local/include/wdm/wdm.h" "usr/local/lib/wdm/$rel/Module.symvers" \
			"usr/local/share/wdm/wdm.mk" | sort)" \
		"$(cd "$dest" && find lib/modules/*/updates/*.ko usr/local/include/wdm/wdm.h \
			usr/local/lib/wdm/*/Module.symvers usr/local/share/wdm/wdm.mk 2>/dev/null | sort)"
	check_cmd "bare 'make uninstall DESTDIR=...' in the copy" "$log" \
		env -u KDIR -u KVER make -C "$src" --no-print-directory uninstall DESTDIR="$dest" || return 0
	check_eq "bare 'make uninstall' left no file" "" "$(cd "$dest" && find . ! -type d)"
	rm -rf "$src" "$dest"
}

# ---- DKMS -----------------------------------------------------------------------

# The DKMS commands sign with a throw-away key rather than create
# /var/lib/dkms/mok.key on the host.
run_dkms() {
	mok_signing_key=$work/mok.key mok_certificate=$work/mok.pub dkms "$@"
}

# dkms_registered VERSION
dkms_registered() {
	[ -n "$(dkms status -m wdmisr -v "$1" 2>/dev/null)" ]
}

# Remove what this script (this run or an interrupted one) added to DKMS,
# /usr/src and /lib/modules: every /usr/src/wdmisr-* with its stamp.
dkms_cleanup() {
	local stamp dir v

	for stamp in /usr/src/wdmisr-*/"$STAMP"; do
		[ -f "$stamp" ] || continue
		dir=${stamp%/*}
		v=${dir#/usr/src/wdmisr-}
		if dkms_registered "$v"; then
			run_dkms remove "wdmisr/$v" --all >>"$work/dkms-cleanup.log" 2>&1 || true
		fi
		rm -rf "$dir"
	done
}

# module_tree REL: type and path of everything in /lib/modules/REL but the
# header links and the modules.* indexes (snapshot hashes those).
module_tree() {
	local d=/lib/modules/$1

	find "$d" \( -path "$d/build" -o -path "$d/source" -o -path "$d/modules.*" \) -prune \
		-o -printf '%y %P\n' | sort
}

# snapshot REL: what the host has that DKMS may change.
snapshot() {
	module_tree "$1"
	[ ! -f "/lib/modules/$1/modules.dep" ] || (cd "/lib/modules/$1" && sha256sum modules.*)
	find /var/lib/dkms -printf '%y %P\n' 2>/dev/null | sort
	ls -a /usr/src
}

# The files the build needs, from the checkout (git) or as they are, and
# the stamp that marks the copy as this script's.
copy_sources() {
	local to=$1 paths=(dkms.conf Makefile Kbuild Kconfig module include)

	mkdir -p "$to"
	if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$TOP" && git ls-files -co --exclude-standard -- "${paths[@]}" |
			cpio -pdm --quiet "$to")
	else
		(cd "$TOP" && cp -r "${paths[@]}" "$to/")
	fi
	echo "a copy made by tests/package-test.sh; it removes it" >"$to/$STAMP"
}

dkms_prepare() {
	if [ "$(id -u)" -ne 0 ] || ! command -v dkms >/dev/null; then
		not_ok "DKMS tests need root and dkms"
		return 1
	fi
	exec 9>"$LOCK"
	if ! flock -w 1800 9; then
		not_ok "DKMS tests: another run holds $LOCK"
		return 1
	fi
	if compgen -G "/usr/src/wdmisr-*/$STAMP" >/dev/null; then
		echo "# removing the leftovers of an interrupted run"
		dkms_cleanup
	fi
	if [ -e "$dkms_src" ] || dkms_registered "$dkms_version"; then
		not_ok "DKMS tests: wdmisr/$dkms_version is installed already ($dkms_src); remove it first"
		return 1
	fi
	dkms_owned=1
	copy_sources "$work/src/wdmisr-$dkms_version"
}

# module_suffix REL: what DKMS appends to .ko when it installs for REL: the
# compression of the modules /lib/modules/REL/modules.dep lists (the last
# of .gz, .xz, .zst found, as dkms 3.0 decides it); none without modules.dep.
module_suffix() {
	local s sfx=

	for s in gz xz zst; do
		grep -q "\.$s:" "/lib/modules/$1/modules.dep" 2>/dev/null && sfx=.$s
	done
	echo "$sfx"
}

dkms_checks() {
	local rel=$1
	local log=$work/dkms-$rel.log mv=wdmisr/$dkms_version before tree sfx mod indexed=0

	[ ! -f "/lib/modules/$rel/modules.dep" ] || indexed=1
	before=$(snapshot "$rel")
	tree=$(module_tree "$rel")
	sfx=$(module_suffix "$rel")
	check_cmd "dkms add of a clean copy ($dkms_src)" "$log" \
		run_dkms add "$work/src/wdmisr-$dkms_version" || return 0
	if check_cmd "dkms build $mv -k $rel" "$log" run_dkms build "$mv" -k "$rel" &&
	   check_cmd "dkms install $mv -k $rel" "$log" run_dkms install "$mv" -k "$rel"; then
		check_eq "dkms install for $rel: exactly the modules in updates/dkms" \
			"$(kbuild_modules | sed "s|.*|f updates/dkms/&.ko$sfx|")" \
			"$(comm -13 <(echo "$tree") <(module_tree "$rel") | grep '^f ')"
		for mod in $(kbuild_modules); do
			check_eq "modinfo -k $rel $mod: the DKMS module, for $rel" \
				"/lib/modules/$rel/updates/dkms/$mod.ko$sfx $rel" \
				"$(modinfo -k "$rel" -F filename "$mod") $(modinfo -k "$rel" -F vermagic "$mod" | cut -d' ' -f1)"
			modinfo_checks "DKMS $mod.ko for $rel" "$mod" -k "$rel" "$mod"
		done
	elif [ -f "/var/lib/dkms/$mv/build/make.log" ]; then
		cp "/var/lib/dkms/$mv/build/make.log" "$work/dkms-make-$rel.log"
		echo "#   make.log: $work/dkms-make-$rel.log"
	fi
	check_cmd "dkms remove $mv --all" "$log" run_dkms remove "$mv" --all || true
	if dkms_registered "$dkms_version" || [ -e /var/lib/dkms/wdmisr ]; then
		not_ok "dkms remove for $rel: wdmisr is still registered"
	else
		ok "dkms remove for $rel: nothing registered"
	fi
	rm -rf "$dkms_src"
	if [ $indexed = 0 ]; then
		check_eq "modules.dep that DKMS wrote for $rel lists no module after the remove" \
			"" "$(cat "/lib/modules/$rel/modules.dep" 2>/dev/null)"
		rm -f "/lib/modules/$rel"/modules.*
	fi
	check_eq "/lib/modules/$rel, /var/lib/dkms and /usr/src as before the DKMS test" \
		"$before" "$(snapshot "$rel")"
}

finish() {
	if [ "$dkms_owned" -eq 1 ]; then
		dkms_cleanup
	fi
	if [ "$failed" -eq 0 ]; then
		rm -rf "$work"
	else
		echo "# logs kept in $work"
	fi
}
trap finish EXIT
trap 'exit 130' INT TERM

static_checks
bare_make_checks
for rel in "$@"; do
	build_checks "$rel"
	install_checks "$rel"
done
if dkms_prepare; then
	for rel in "$@"; do
		dkms_checks "$rel"
	done
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
