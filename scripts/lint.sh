#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Static checks of the kernel sources, as `make check` runs them:
#   - checkpatch.pl --strict --no-tree -f on every kernel source and header,
#     taken from the linux-source tree the KUnit kernel is built from;
#   - sparse (C=2) on wdm.ko and wdmisr.ko against the newest Debian headers;
#   - kernel-doc -none on the exported routines' sources.
# Usage: scripts/lint.sh SRC-TREE KDIR
#
# The only suppressions, all here, each for a reason that is the point of
# the project rather than a lapse:
#   CAMELCASE        the Windows API is CamelCase by definition (IoConnectInterruptEx)
#   NEW_TYPEDEFS     so are its typedefs (KSERVICE_ROUTINE, PKINTERRUPT, ...)
#   MACRO_ARG_UNUSED the SAL annotations (_In_, _IRQL_requires_(x)) expand to nothing
# and, for the compat headers module/*/*_compat.h alone, whose job is
# kernel-version tests:
#   LINUX_VERSION_CODE, CONSTANT_COMPARISON, EXPORT_SYMBOL (the KUnit stubs);
# and, for include/wdm.h alone, VOLATILE: Windows declares the targets of
# its interlocked and register routines volatile (LONG volatile *Addend),
# so that drivers may pass volatile variables; API compatibility, not
# synchronisation;
# and, for the trace event headers module/*/*_trace.h alone, the layout every
# TRACE_EVENT() in include/trace/events/ uses (one argument per line):
#   OPEN_ENDED_LINE, PARENTHESIS_ALIGNMENT.
# kunit/wdm_seed_sample.h is not given to checkpatch: it holds Microsoft's
# sample code in Microsoft's layout, to prove that it compiles unchanged
# (KUnit, kunit/wdm_seed_test.c) and runs unchanged on a device (the
# out-of-tree module tests/seed-module/, which is checked like the rest).
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src=${1:?usage: scripts/lint.sh SRC-TREE KDIR}
kdir=${2:?usage: scripts/lint.sh SRC-TREE KDIR}
cd "$TOP"

ignore=CAMELCASE,NEW_TYPEDEFS,MACRO_ARG_UNUSED
compat=(module/*/*_compat.h)
traces=(module/*/*_trace.h)
mapfile -t files < <(ls module/*/*.[ch] kunit/*.[ch] tests/seed-module/*.c bench/kmod/*.[ch] examples/*/*.c \
	include/wdm.h include/wdf.h include/uapi/wdmisr.h include/hw/*.h |
	grep -vxF -e kunit/wdm_seed_sample.h -e include/wdm.h \
		$(printf -- '-e %s ' "${compat[@]}" "${traces[@]}"))
rc=0

echo "lint: checkpatch --strict on ${#files[@]} files, include/wdm.h, ${compat[*]} and ${traces[*]}"
perl "$src/scripts/checkpatch.pl" --strict --no-tree --terse --show-types --quiet \
	--ignore "$ignore" -f "${files[@]}" || rc=1
perl "$src/scripts/checkpatch.pl" --strict --no-tree --terse --show-types --quiet \
	--ignore "$ignore,VOLATILE" -f include/wdm.h || rc=1
perl "$src/scripts/checkpatch.pl" --strict --no-tree --terse --show-types --quiet \
	--ignore "$ignore,LINUX_VERSION_CODE,CONSTANT_COMPARISON,EXPORT_SYMBOL" \
	-f "${compat[@]}" || rc=1
perl "$src/scripts/checkpatch.pl" --strict --no-tree --terse --show-types --quiet \
	--ignore "$ignore,OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT" -f "${traces[@]}" || rc=1

echo "lint: kernel-doc"
out=$(perl "$src/scripts/kernel-doc" -none -Wall module/*/*.c include/wdm.h include/wdf.h 2>&1)
if [ -n "$out" ]; then
	printf '%s\n' "$out"
	rc=1
fi

echo "lint: sparse (C=2) against $kdir"
out=$(make --no-print-directory -C "$TOP" modules KDIR="$kdir" \
	KBUILD_ARGS="W=1 C=2 CHECK=sparse" 2>&1 | grep -E '(warning|error):')
if [ -n "$out" ]; then
	printf '%s\n' "$out"
	rc=1
fi
exit $rc
