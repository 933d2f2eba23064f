#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run one guest test case in QEMU (TCG) and report its result.
#
# Usage: tests/qemu/run-guest.sh --kernel KVER|PATH --case NAME [options]
#   --kernel KVER|PATH   a release, or a bzImage path; a release boots the
#                        guest kernel scripts/deps.sh cached
#                        (~/.cache/wdmisr/kernels/KVER/boot/vmlinuz-KVER),
#                        else /boot/vmlinuz-KVER
#   --case NAME|FILE     tests/cases/NAME.sh, or a case file NAME.sh anywhere
#                        (one outside tests/cases/ is packed in addition)
#   --kver KVER          release for the modules (build/KVER) and the
#                        in-kernel modules (the cache's, else /lib/modules);
#                        default: read from the kernel image. "kunit" or
#                        "debug" means the image's own release, and labels
#                        the run so
#   --timeout SEC        kill QEMU after SEC seconds (default: the case's
#                        "# timeout:" header, else 120; twice that with
#                        --kver kunit or debug)
#   --append "ARGS"      more kernel command line
#   --log FILE           serial log (default build/logs/LABEL/NAME.log)
#   --kmod-dir DIR       project modules from DIR instead of build/KVER
#   --extra-kmods "a b"  more in-kernel modules to pack (besides "# kmods:")
#   --keep               keep the work directory (initramfs, socket, report)
#   --verbose            copy the serial console to stdout while it runs
#
# The case file's header comments say what the guest needs:
#   # qemu: ARGS       extra QEMU arguments (word-split, no quoting)
#   # ivshmem: ARGS    start the device process first,
#                        tests/ivshmem-dev/ivshmem-dev --socket S --report R ARGS
#                      ($IVSHMEM_DEV overrides the binary), and give the guest
#                      an ivshmem-doorbell on S with the --vectors N it names
#   # kmods: NAMES     in-kernel modules to pack, with their dependencies
#   # tools: NAMES     host programs to pack into /bin, with their libraries
#                      (trace-cmd, perf): only the images of the cases that
#                      name them carry them
#   # append: ARGS     more kernel command line
#   # timeout: SEC     default timeout
# tests/cases/NAME.host, if present, is sourced afterwards with $LOG and
# $REPORT set (see tests/lib/host.sh) and may add results.
#
# Environment: IVSHMEM_DEV, QEMU (binaries); BOOT_TIMEOUT (150 s) and
# BOOT_RETRIES (1): a kernel that has not reached /init after BOOT_TIMEOUT
# seconds is killed and booted again, at most BOOT_RETRIES times (an
# emulator flake: none of the project's code has run yet).
#
# Output: every result as "LABEL NAME: ok - ..." / "LABEL NAME: not ok - ...",
# then "RESULT case=NAME kernel=LABEL pass=N fail=M". A run without a
# WDMTEST-DONE line (crash, hang, timeout) fails, and so does a kernel log
# with a warning, BUG, lockdep/KASAN/UBSAN report, oops or panic. Exit status
# 0 iff fail=0 and the guest finished.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/host.sh"

IVSHMEM_DEV=${IVSHMEM_DEV:-$TOP/tests/ivshmem-dev/ivshmem-dev}
QEMU=${QEMU:-qemu-system-x86_64}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-150}
BOOT_RETRIES=${BOOT_RETRIES:-1}

kernel=
case_name=
kver=
timeout=
append=
log=
kmod_dir=
extra_kmods=
keep=0
verbose=0
orig_args=("$@")

usage() {
	# The header comment, from line 3 to the first line that is not one.
	awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"
	exit "${1:-0}"
}

msg() { echo "run-guest: $*" >&2; }
# In this script a failed result must not trip `set -e`.
result_ok() { host_result ok "$*"; }
result_not_ok() { host_result "not ok" "$*"; }
# shquote WORD...: the words as shell input, quoted only where needed.
shquote() {
	local w out=

	for w in "$@"; do
		if [[ $w =~ ^[A-Za-z0-9_,=/.:+@%-]+$ ]]; then
			out+="${out:+ }$w"
		else
			w=${w//"'"/"'\\''"}
			out+="${out:+ }'$w'"
		fi
	done
	echo "$out"
}
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
die() { msg "$*"; exit 2; }

while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift ;;
	--case) case_name=$2; shift ;;
	--kver) kver=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--append) append=$2; shift ;;
	--log) log=$2; shift ;;
	--kmod-dir) kmod_dir=$2; shift ;;
	--extra-kmods) extra_kmods=$2; shift ;;
	--keep) keep=1 ;;
	--verbose) verbose=1 ;;
	-h|--help) usage 0 ;;
	*) msg "unknown argument: $1"; usage 2 >&2 ;;
	esac
	shift
done
if [ -z "$kernel" ] || [ -z "$case_name" ]; then
	usage 2 >&2
fi

# image_release IMAGE: the release string an x86 bzImage carries in its setup
# header (kernel_version field at 0x20e, relative to 0x200).
image_release() {
	local off

	[ "$(dd if="$1" bs=1 skip=$((0x202)) count=4 2>/dev/null)" = HdrS ] || return 1
	off=$(od -An -tu2 -j $((0x20e)) -N2 "$1" | tr -d ' ')
	# sed, not head: it reads everything, so tr never meets a closed pipe.
	dd if="$1" bs=1 skip=$((off + 0x200)) count=256 2>/dev/null |
		tr '\0' '\n' | sed -n '1s/ .*//p'
}

# --- what to boot ----------------------------------------------------------
if [ -f "$kernel" ]; then
	image=$(readlink -f "$kernel")
elif ! image=$(wdm_guest_image "$kernel"); then
	die "no kernel image '$kernel' (not in $(wdm_guest_kernel_dir "$kernel")/boot/ nor /boot/; run 'make deps')"
fi
release=$(image_release "$image") || die "$image is not an x86 bzImage"
label=$release
if [ -n "$kver" ] && [ "$kver" != "$release" ]; then
	label=$kver
	# Any label other than "kunit" or "debug" is taken as the release the
	# caller means.
	case $kver in kunit|debug) ;; *) release=$kver ;; esac
fi

case_file=
add_case=
if [[ $case_name == */* || $case_name == *.sh ]]; then
	[ -f "$case_name" ] || die "no case file $case_name"
	case_file=$(readlink -f "$case_name")
	case_name=$(basename "$case_name" .sh)
	# The image has every case of the tree already.
	[ "$case_file" -ef "$TOP/tests/cases/$case_name.sh" ] || add_case=$case_file
else
	case_file=$TOP/tests/cases/$case_name.sh
	[ -f "$case_file" ] || die "no case $case_name in tests/cases/"
fi
host_file=${case_file%.sh}.host

qemu_extra=$(case_header "$case_file" qemu | tr '\n' ' ')
ivshmem_args=$(case_header "$case_file" ivshmem | tr '\n' ' ')
extra_kmods="$(case_header "$case_file" kmods | tr '\n' ' ')$extra_kmods"
case_append=$(case_header "$case_file" append | tr '\n' ' ')
tools=$(case_header "$case_file" tools | tr '\n' ' ')
if [ -z "$timeout" ]; then
	timeout=$(case_header "$case_file" timeout | tail -n 1)
	[ -n "$timeout" ] || timeout=120
	# KASAN, lockdep and kmemleak make a case several times slower.
	case $kver in kunit|debug) timeout=$((timeout * 2)) ;; esac
fi

logdir=$TOP/build/logs/$label
mkdir -p "$logdir"
[ -n "$log" ] || log=$logdir/$case_name.log
mkdir -p "$(dirname "$log")"
log=$(readlink -f "$log")
report_keep=${log%.log}.ivshmem.report
devlog_keep=${log%.log}.ivshmem.log

# Everything a run writes lives in its own work directory until the end, so
# that runs of the same case at the same time cannot clobber each other.
work=$(mktemp -d /tmp/wdmtest.XXXXXX)
slog=$work/serial.log
devlog=$work/ivshmem.log
dev_pid=
qemu_pid=
cleanup() {
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
	[ -n "$dev_pid" ] && kill "$dev_pid" 2>/dev/null
	[ "$keep" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- initramfs -----------------------------------------------------------------
t0=$(date +%s.%N)
mk_args=(--kver "$release" --out "$work/initrd.cpio")
[ -z "$kmod_dir" ] || mk_args+=(--kmod-dir "$kmod_dir")
[ -z "$add_case" ] || mk_args+=(--add-case "$add_case")
[ -z "${extra_kmods// /}" ] || mk_args+=(--extra-kmods "$extra_kmods")
[ -z "${tools// /}" ] || mk_args+=(--tools "$tools")
"$TOP/tests/qemu/mkinitramfs.sh" "${mk_args[@]}"
t1=$(date +%s.%N)

# --- ivshmem device process ----------------------------------------------------
ivshmem_qemu=()
dev_cmd=()
REPORT=
if [ -n "${ivshmem_args// /}" ]; then
	[ -x "$IVSHMEM_DEV" ] || die "$IVSHMEM_DEV not found; build it with 'make -C tests tools'"
	vectors=$(echo " $ivshmem_args" | sed -nE 's/.* --vectors[= ]+([0-9]+).*/\1/p')
	[ -n "$vectors" ] || die "case $case_name: the ivshmem: line needs --vectors N"
	REPORT=$work/ivshmem.report
	# shellcheck disable=SC2206 # the header is a word list
	dev_cmd=("$IVSHMEM_DEV" --socket "$work/iv.sock" --report "$REPORT" $ivshmem_args)
	ivshmem_qemu=(-chardev "socket,path=$work/iv.sock,id=iv"
		-device "ivshmem-doorbell,chardev=iv,vectors=$vectors")
fi

# start_device: start the device process and wait for its socket.
start_device() {
	[ ${#dev_cmd[@]} -gt 0 ] || return 0
	rm -f "$work/iv.sock" "$REPORT"
	"${dev_cmd[@]}" >"$devlog" 2>&1 &
	dev_pid=$!
	for _ in $(seq 100); do
		[ -S "$work/iv.sock" ] && break
		kill -0 "$dev_pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ ! -S "$work/iv.sock" ]; then
		cat "$devlog" >&2
		die "$IVSHMEM_DEV did not create $work/iv.sock"
	fi
}

# stop_device: SIGTERM the device process and wait for it (it writes its
# report on the way out).
stop_device() {
	[ -n "$dev_pid" ] || return 0
	kill -TERM "$dev_pid" 2>/dev/null || true
	for _ in $(seq 100); do
		kill -0 "$dev_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$dev_pid" 2>/dev/null && msg "$IVSHMEM_DEV ignored SIGTERM; killed it"
	wait "$dev_pid" 2>/dev/null || msg "$IVSHMEM_DEV exited with status $?"
	dev_pid=
}

# --- QEMU ----------------------------------------------------------------------
cmdline="console=ttyS0 panic=-1 loglevel=5 printk.devkmsg=on"
cmdline+=" $case_append $append wdmtest=$case_name"
cmdline=$(echo "$cmdline" | tr -s ' ')
# shellcheck disable=SC2206 # the header is a word list
# One TCG thread for both vCPUs: multi-threaded TCG mishandles the kernel's
# cross-CPU code patching (text_poke_bp), which killed boots with an int3
# oops now and then. The vCPUs still interleave, so races stay reachable.
qemu_cmd=("$QEMU" -machine pc -accel tcg,thread=single -m 512 -smp 2 -nographic -no-reboot
	-nic none -kernel "$image" -initrd "$work/initrd.cpio" -append "$cmdline"
	$qemu_extra "${ivshmem_qemu[@]}")

# run_qemu: boot once. Sets qemu_rc, and boot_hung=1 when the kernel did not
# reach /init (no WDMTEST-START line) within $BOOT_TIMEOUT seconds.
run_qemu() {
	local raw=$work/serial.raw start=$SECONDS tail_pid=

	boot_hung=0
	: >"$raw"
	timeout -k 5 "$timeout" "${qemu_cmd[@]}" </dev/null >"$raw" 2>&1 &
	qemu_pid=$!
	if [ "$verbose" = 1 ]; then
		tail -n +1 -f --pid="$qemu_pid" "$raw" &
		tail_pid=$!
	fi
	while kill -0 "$qemu_pid" 2>/dev/null; do
		if [ $((SECONDS - start)) -ge "$BOOT_TIMEOUT" ] && [ $boot_hung = 0 ] &&
			! grep -q '^WDMTEST-START' "$raw"; then
			boot_hung=1
			kill "$qemu_pid" 2>/dev/null
		fi
		sleep 1
	done
	wait "$qemu_pid"
	qemu_rc=$?
	qemu_pid=
	# Died before /init (an emulator or firmware fault): same as hung.
	grep -q '^WDMTEST-START' "$raw" || boot_hung=1
	[ -z "$tail_pid" ] || wait "$tail_pid" 2>/dev/null || true
}

# A kernel that hangs or dies before /init has not run any of the project's
# code: under TCG that is an emulator flake, and the boot is tried once more.
attempt=1
while :; do
	start_device
	set +e
	run_qemu
	set -e
	stop_device
	if [ "$boot_hung" = 0 ] || [ $attempt -gt "$BOOT_RETRIES" ]; then
		break
	fi
	msg "$label $case_name: the kernel did not reach /init; booting again"
	cp "$work/serial.raw" "$work/serial-hung-$attempt.raw"
	attempt=$((attempt + 1))
done
t2=$(date +%s.%N)

# Drop carriage returns and the firmware's terminal escape sequences.
sed -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' "$work/serial.raw" >"$slog"
# keep_file SRC DEST: publish a copy of SRC as DEST in one rename.
keep_file() {
	cp "$1" "$2.$$.tmp"
	mv -f "$2.$$.tmp" "$2"
}
keep_file "$slog" "$log"
if [ ${#dev_cmd[@]} -gt 0 ]; then
	[ ! -f "$REPORT" ] || keep_file "$REPORT" "$report_keep"
	keep_file "$devlog" "$devlog_keep"
fi

# --- results -------------------------------------------------------------------
results=$work/results
WDM_HOST_RESULTS=$results
log_console "$slog" | grep -E '^WDMTEST: (ok|not ok) - ' >"$results" || true
done_line=$(grep -E '^WDMTEST-DONE pass=[0-9]+ fail=[0-9]+$' "$slog" | tail -n 1 || true)

if [ -z "$done_line" ]; then
	if [ "$boot_hung" = 1 ]; then
		result_not_ok "guest finished (the kernel did not reach /init in ${BOOT_TIMEOUT}s, $attempt boots)"
	elif [ "$qemu_rc" = 124 ] || [ "$qemu_rc" = 137 ]; then
		result_not_ok "guest finished (killed after the ${timeout}s timeout, no WDMTEST-DONE)"
	else
		result_not_ok "guest finished (no WDMTEST-DONE: crash or early exit, QEMU status $qemu_rc)"
	fi
else
	seen="pass=$(grep -c '^WDMTEST: ok' "$results" || true)"
	seen+=" fail=$(grep -c '^WDMTEST: not ok' "$results" || true)"
	[ "WDMTEST-DONE $seen" = "$done_line" ] ||
		result_not_ok "console results agree with the guest's count ($done_line, console $seen)"
fi

if [ -f "$host_file" ]; then
	# A subshell, so that the checks cannot change this script's state.
	# shellcheck disable=SC1090,SC2034 # the host file reads these
	(
		set +e
		LOG=$slog CASE=$case_name KVER=$release LABEL=$label
		. "$host_file"
	) || true
fi

bad_lines=$(log_bad_lines "$slog" | head -n 20 || true)
if [ -n "$bad_lines" ]; then
	result_not_ok "kernel log clean (first: $(head -n 1 <<<"$bad_lines" | cut -c 1-120))"
else
	result_ok "kernel log clean"
fi

pass=$(grep -c '^WDMTEST: ok' "$results" || true)
fail=$(grep -c '^WDMTEST: not ok' "$results" || true)
sed "s/^WDMTEST: /$label $case_name: /" "$results"

if [ "$fail" != 0 ] || [ -z "$done_line" ]; then
	keep=1
	echo "---- last 60 lines of $log ----"
	log_console "$slog" | tail -n 60
	if [ -n "$bad_lines" ]; then
		echo "---- kernel log problems ----"
		echo "$bad_lines"
	fi
	echo "---- reproduce ----"
	env=
	[ "$IVSHMEM_DEV" = "$TOP/tests/ivshmem-dev/ivshmem-dev" ] || env="IVSHMEM_DEV=$(shquote "$IVSHMEM_DEV") "
	[ "$QEMU" = qemu-system-x86_64 ] || env+="QEMU=$(shquote "$QEMU") "
	echo "cd $TOP && $env$(shquote tests/qemu/run-guest.sh "${orig_args[@]}")"
	echo "# or by hand (work directory $work kept):"
	[ ${#dev_cmd[@]} -eq 0 ] || echo "$(shquote "${dev_cmd[@]}") &"
	shquote "${qemu_cmd[@]}"
fi
msg "$label $case_name: kernel $image, initramfs $(secs "$t0" "$t1")s, guest $(secs "$t1" "$t2")s, log $log"
echo "RESULT case=$case_name kernel=$label pass=$pass fail=$fail"
[ "$fail" = 0 ] && [ -n "$done_line" ]
