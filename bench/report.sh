#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Turn the benchmarks' result lines into bench/results/results.md and the
# PNG plots (gnuplot, bench/plot.gp). bench/run.sh calls it after the runs;
# it can be run again on the same data.
#
# Usage: bench/report.sh [--data DIR] [--out DIR]
#   --data DIR   the result lines, one file per scenario: dispatch.txt,
#                latency.txt, throughput.txt, scaling.txt, each starting
#                with a "meta ..." line (default bench/results/data);
#                dispatch.txt may also hold the statistics' phases
#                ("dispatch-phase ...") and wdm.ko's histograms ("hist ..."),
#                which add their rows, sections and histograms.png
#   --out DIR    where results.md and the PNGs go (default bench/results)
#
# Every ratio is of two figures measured in the same guest, in the same run,
# taking turns; results.md says for each how.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=$TOP/bench/results/data
out=$TOP/bench/results

usage() {
	# The header comment, from line 3 to the first line that is not one.
	awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"
	exit "${1:-0}"
}

while [ $# -gt 0 ]; do
	case $1 in
	--data) data=$2; shift ;;
	--out) out=$2; shift ;;
	-h|--help) usage 0 ;;
	*) echo "report: unknown argument: $1" >&2; usage 2 >&2 ;;
	esac
	shift
done
for f in dispatch latency throughput scaling; do
	[ -s "$data/$f.txt" ] || { echo "report: no $data/$f.txt; run bench/run.sh" >&2; exit 1; }
done
mkdir -p "$out"
plots=$(mktemp -d)
trap 'rm -rf "$plots"' EXIT

# Functions every section's awk uses: kv(key) reads $0, med() a median,
# fmt_ns() a time in ns, us or ms.
# shellcheck disable=SC2016 # awk code: its $ are awk's
AWK_LIB='
function kn(key) { return kv(key) + 0 }
function kv(key,   i, n, f) {
	n = split($0, f, " ")
	for (i = 1; i <= n; i++)
		if (index(f[i], key "=") == 1)
			return substr(f[i], length(key) + 2)
	return ""
}
function med(a, n,   i, j, t, b) {
	for (i = 1; i <= n; i++) b[i] = a[i] + 0
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && b[j - 1] > b[j]; j--) { t = b[j]; b[j] = b[j - 1]; b[j - 1] = t }
	if (n == 0) return 0
	return n % 2 ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2
}
function fmt_ns(ns,   a) {
	ns += 0
	a = ns < 0 ? -ns : ns
	if (a >= 1e6) return sprintf("%.2f ms", ns / 1e6)
	if (a >= 1e4) return sprintf("%.1f us", ns / 1e3)
	return sprintf("%.0f ns", ns)
}
function yes(ok) { return ok ? "**yes**" : "**no**" }
'

meta() {
	sed -n "/^meta .* $2=\([^ ]*\).*/{s//\1/p;q}" "$data/$1.txt"
}

# --- 1. dispatch ------------------------------------------------------------------
dispatch_md() {
	awk "$AWK_LIB"'
	$1 == "dispatch" && kv("fired") != "" { fired = kn("fired"); batch = kn("batch"); rounds = kn("rounds") }
	$1 == "dispatch" && kv("variant") != "" {
		v = kv("variant"); ns[v] = kn("ns_per_irq"); mean[v] = kn("mean_ns_per_irq")
		ratio[v] = kn("ratio_to_raw"); hand[v] = kn("handlers"); order[++n] = v
		# The DPC variants, timed again up to the last DPC done.
		if (kv("done_ns_per_irq") != "") {
			dns[v] = kn("done_ns_per_irq"); dmean[v] = kn("done_mean_ns_per_irq")
			dratio[v] = kn("done_ratio_to_raw")
		}
	}
	END {
		label["raw"] = "raw handler, `request_irq()`, returns IRQ_HANDLED"
		label["shim"] = "shim ISR returning TRUE"
		label["shim_dpc"] = "shim ISR returning TRUE that queues a DPC (run in softirq)"
		label["shim_tdpc"] = "shim ISR returning TRUE that queues a threaded DPC (run in the irq thread)"
		label["raw_chain4"] = "raw shared chain: 3 handlers return IRQ_NONE, the 4th IRQ_HANDLED"
		label["shim_chain4"] = "shim shared chain: 3 ISRs return FALSE, the 4th TRUE"
		short["raw"] = "raw"; short["shim"] = "shim TRUE"
		short["shim_dpc"] = "DPC: ISR"; short["shim_tdpc"] = "tDPC: ISR"
		short["raw_chain4"] = "raw x4 shared"; short["shim_chain4"] = "shim x4 shared"
		dshort["shim_dpc"] = "DPC: done"; dshort["shim_tdpc"] = "tDPC: done"
		printf "| variant | handlers on the line | ns per interrupt | mean | ratio to raw |\n"
		printf "|---|---|---|---|---|\n"
		for (i = 1; i <= n; i++) {
			v = order[i]
			if (v in dns) {
				printf "| %s: ISR + DPC queue cost | %d | %.0f | %.0f | %.3f |\n", label[v], hand[v], ns[v], mean[v], ratio[v]
				printf "| %s: interrupt to DPC done | %d | %.0f | %.0f | %.3f |\n", label[v], hand[v], dns[v], dmean[v], dratio[v]
				printf "\"%s\" %.1f %.3f 0\n", short[v], ns[v], ratio[v] > PLOTS "/dispatch.dat"
				printf "\"%s\" %.1f %.3f 1\n", dshort[v], dns[v], dratio[v] > PLOTS "/dispatch.dat"
				continue
			}
			printf "| %s | %d | %.0f | %.0f | %.3f |\n", label[v], hand[v], ns[v], mean[v], ratio[v]
			printf "\"%s\" %.1f %.3f 0\n", short[v], ns[v], ratio[v] > PLOTS "/dispatch.dat"
		}
		printf "\n%d interrupts per variant, fired in %d rounds; each round fires one batch of %d of every variant, in turn. ", fired, rounds, batch
		printf "ns per interrupt is the median over the batches, mean is over all of them; the ratio is the median over the rounds of the batch time divided by the raw batch time of the same round. "
		printf "Batches are timed in the hard-IRQ context that fires them: for the DPC variants that is the ISR with its KeInsertQueueDpc(), while the DPCs run after it. "
		printf "Their second row times each batch from just before it is fired until its last DPC has run (in softirq as the interrupt exits, or in the interrupt'\''s thread), so it also holds raising the one self-IPI that fires the batch; its ratio is over the same raw batch. "
		printf "The shim chain against the raw chain: %.3f (medians).\n", ns["shim_chain4"] / ns["raw_chain4"]
		# For the summary; "-" for what the data does not have (an older run).
		split("raw shim shim shim_dpc shim_dpc shim_chain4 raw_chain4 shim_chain4 shim_tdpc shim_tdpc shim_dpc shim_dpc shim_tdpc shim_tdpc", sv, " ")
		split("n n r n r r n n n r dn dr dn dr", sk, " ")
		for (i = 1; i <= 14; i++) {
			v = sv[i]; k = sk[i]
			x = k == "n" ? ns[v] : k == "r" ? ratio[v] : k == "dn" ? dns[v] : dratio[v]
			printf "%s%s", x == "" ? "-" : x, i < 14 ? " " : "\n" > PLOTS "/dispatch.sum"
		}
	}' PLOTS="$plots" "$data/dispatch.txt"
}

# --- 1. dispatch: what the statistics cost ----------------------------------------
# The "dispatch-phase" lines: the same benchmark, phase by phase, with wdm.ko
# as built (stats=1) and built with WDM_STATS=0 (stats=0). Nothing when the
# data has none (a run before they were taken).
stats_md() {
	awk "$AWK_LIB"'
	$1 == "dispatch-phase" && kv("fired") != "" { per[kn("phase")] = kn("fired") }
	$1 == "clock" && kv("fn") == "local_clock" { clk = kn("ns_per_call"); clk_calls = kn("calls") }
	$1 == "clock" && kv("fn") == "get_cycles" { cyc = kn("ns_per_call") }
	$1 == "dispatch-phase" && kv("variant") != "" {
		p = kn("phase"); v = kv("variant"); st[p] = kn("stats"); seen[p] = 1
		ns[p, v] = kn("ns_per_irq"); r[p, v] = kn("ratio_to_raw")
		if (p > np) np = p
	}
	END {
		if (!np) {
			print "-" > PLOTS "/stats.sum"
			exit
		}
		printf "| phase | wdm.ko | interrupts per variant | raw, ns per interrupt | shim ISR returning TRUE | shim / raw | shim ISR + DPC (softirq) | shim + DPC / raw |\n"
		printf "|---|---|---|---|---|---|---|---|\n"
		for (p = 1; p <= np; p++) {
			if (!(p in seen)) continue
			printf "| %d | %s | %d | %.0f | %.0f | %.3f | %.0f | %.3f |\n", p,
				st[p] ? "statistics on" : "statistics compiled out", per[p],
				ns[p, "raw"], ns[p, "shim"], r[p, "shim"], ns[p, "shim_dpc"], r[p, "shim_dpc"]
			s = st[p]; k[s]++
			a[s, k[s]] = r[p, "shim"]; b[s, k[s]] = r[p, "shim_dpc"]; e[s, k[s]] = ns[p, "shim"] - ns[p, "raw"]
			order = order (order == "" ? "" : ", ") (s ? "on" : "off")
		}
		for (s = 0; s <= 1; s++) {
			for (i = 1; i <= k[s]; i++) { x[i] = a[s, i]; y[i] = b[s, i]; z[i] = e[s, i] }
			m[s] = med(x, k[s]); md[s] = med(y, k[s]); me[s] = med(z, k[s])
		}
		if (!k[0] || !k[1]) {
			printf "\nThe phases hold only one build (%d with statistics, %d without): no overhead is taken.\n", k[1], k[0]
			print "-" > PLOTS "/stats.sum"
			exit
		}
		printf "\nWhat the statistics cost: %d phase%s with wdm.ko as built (statistics on) and %d with it built with `WDM_STATS=0`, in the same boot after the run above, the builds taking turns (%s); wdm.ko and wdm_bench.ko are loaded afresh for each phase. ", k[1], k[1] == 1 ? "" : "s", k[0], order
		printf "Within a phase the shim is timed against the raw handler in the same rounds, as above. "
		printf "The overhead is the median over the phases with statistics of their shim / raw ratio, over the same median without them: "
		printf "**%.3f** for the shim ISR returning TRUE (%.3f over %.3f), %.3f for the ISR that queues a DPC (%.3f over %.3f; with statistics its DPC'\''s duration and latency are timed too).\n",
			m[1] / m[0], m[1], m[0], md[1] / md[0], md[1], md[0]
		if (clk != "" && cyc != "")
			printf "Where it goes: the shim ISR returning TRUE takes %.0f ns per interrupt more than the raw handler with the statistics and %.0f ns more without them (medians over the phases), %.0f ns apart. The statistics read the CPU'\''s cycle counter twice per ISR call (`get_cycles()`: %.1f ns a call in this guest, %d calls in a loop with local interrupts off, so %.0f ns of it), where `local_clock()` would cost %.1f ns a call. Under TCG reading the TSC is a call into the emulator, far dearer against the other instructions than on hardware.\n",
				me[1], me[0], me[1] - me[0], cyc, clk_calls, 2 * cyc, clk
		lo = hi = a[1, 1]
		for (i = 2; i <= k[1]; i++) { lo = a[1, i] < lo ? a[1, i] : lo; hi = a[1, i] > hi ? a[1, i] : hi }
		printf "%.3f %.3f %.3f %.3f %.3f %.3f %d %d %.3f %.3f\n", m[1], m[0], m[1] / m[0], md[1], md[0], md[1] / md[0], k[1], k[0], lo, hi > PLOTS "/stats.sum"
	}' PLOTS="$plots" "$data/dispatch.txt"
}

# --- 1. dispatch: wdm.ko's histograms ---------------------------------------------
# The "hist" lines: wdm.ko's log2 histograms of the shim objects of the
# dispatch run, with the counts wdm_bench.ko kept of the same run. Nothing
# when the data has none.
hist_md() {
	awk "$AWK_LIB"'
	function upper(i) { return i >= 31 ? "over " fmt_ns(2 ^ 31) : fmt_ns(2 ^ (i + 1)) }
	# The bucket holding the q-th fraction of h[v, k, 0..31]; -1 for none.
	function pct(v, k, q,   i, n, c) {
		if (!tot[v, k]) return -1
		n = q * tot[v, k]
		for (i = 0; i < 32; i++) { c += h[v, k, i]; if (c >= n) return i }
		return 31
	}
	function pcts(v, k,   a, b) {
		a = pct(v, k, 0.5); b = pct(v, k, 0.99)
		return a < 0 ? "-" : sprintf("%s / %s", upper(a), upper(b))
	}
	$1 == "hist" {
		v = kv("variant"); k = kv("kind")
		if (!(v in irqs)) order[++nv] = v
		irqs[v] = kn("interrupts"); runs[v] = kn("dpc_runs")
		n = split(kv("counts"), c, ",")
		t = 0
		for (i = 1; i <= n; i++) { h[v, k, i - 1] = c[i] + 0; t += c[i] }
		tot[v, k] = t
	}
	END {
		if (!nv) exit
		label["shim"] = "shim ISR returning TRUE"
		label["shim_dpc"] = "shim ISR + DPC (softirq)"
		label["shim_tdpc"] = "shim ISR + threaded DPC"
		printf "| variant | interrupts | ISR histogram: total | p50 / p99 | DPCs run | DPC histogram: total | p50 / p99 | ISR-to-DPC latency histogram: total | p50 / p99 |\n"
		printf "|---|---|---|---|---|---|---|---|---|\n"
		bad = ""
		for (j = 1; j <= nv; j++) {
			v = order[j]
			printf "| %s | %d | %d | %s | %d | %d | %s | %d | %s |\n", label[v] ? label[v] : v,
				irqs[v], tot[v, "isr_ns"], pcts(v, "isr_ns"), runs[v],
				tot[v, "dpc_ns"], pcts(v, "dpc_ns"), tot[v, "latency_ns"], pcts(v, "latency_ns")
			if (tot[v, "isr_ns"] != irqs[v])
				bad = bad sprintf("; %s: the ISR histogram holds %d, %d interrupts were fired", v, tot[v, "isr_ns"], irqs[v])
			if (tot[v, "dpc_ns"] != runs[v])
				bad = bad sprintf("; %s: the DPC histogram holds %d, %d DPCs ran", v, tot[v, "dpc_ns"], runs[v])
			if (tot[v, "latency_ns"] != runs[v])
				bad = bad sprintf("; %s: the latency histogram holds %d, %d DPCs ran", v, tot[v, "latency_ns"], runs[v])
			# Plot data: the buckets from one below the first non-empty
			# one to one above the last, at their lower bounds in ns
			# (an empty histogram: its first bucket, empty).
			split("isr_ns dpc_ns latency_ns", ks, " ")
			for (m = 1; m <= 3; m++) {
				k = ks[m]
				lo = 31; hi = 0
				if (!tot[v, k]) lo = 0
				for (i = 0; i < 32; i++) if (h[v, k, i]) { lo = i < lo ? i : lo; hi = i }
				lo = lo > 0 ? lo - 1 : 0; hi = hi < 31 ? hi + 1 : 31
				for (i = lo; i <= hi; i++)
					printf "%.0f %d\n", 2 ^ i, h[v, k, i] > PLOTS "/hist-" k "-" v ".dat"
			}
		}
		printf "\nwdm.ko'\''s own histograms (debugfs `wdm/interrupts/<irq>-<name>/histograms`: bucket i holds durations from 2^i to 2^(i+1) ns) of the interrupt objects of the run above, read after it; interrupts and DPCs run are wdm_bench.ko'\''s own counts of the same run. "
		printf "A percentile is the upper bound of the bucket that holds it. "
		printf "A batch'\''s DPCs run only once the hard-IRQ stretch that fires the whole batch has ended, so their latency includes the rest of the batch. "
		if (bad == "")
			printf "Each ISR histogram'\''s total equals the interrupts fired at its object, and each DPC and latency histogram'\''s total the DPCs that ran, exactly.\n"
		else
			printf "**The totals do not all equal the counts of the run**%s.\n", bad
	}' PLOTS="$plots" "$data/dispatch.txt"
}

# --- 2. latency ---------------------------------------------------------------------
# Two pairs, by the data's pair= (lines without one, from older runs, are
# msi-intx): intx-intx, wdmisr and UIO both on INTx, the fair pair, and
# msi-intx, wdmisr on MSI against UIO on INTx, the unfair one. The
# histograms are of the fair pair when the data has it.
latency_md() {
	awk "$AWK_LIB"'
	function pairof() { return kv("pair") == "" ? "msi-intx" : kv("pair") }
	$1 == "latency-config" {
		q = pairof(); wline[q] = kv("wdmisr_line"); uline[q] = kv("uio_line"); alone[q] = kv("alone")
	}
	$1 == "latency" && kv("path") != "" {
		q = pairof(); c = kv("reader_cpu"); p = kv("path"); cpus[c] = 1; pairs[q] = 1
		med_[q, c, p] = kn("median_ns"); p99[q, c, p] = kn("p99_ns"); mean[q, c, p] = kn("mean_ns")
		mn[q, c, p] = kn("min_ns"); mx[q, c, p] = kn("max_ns"); rounds[q] = kn("rounds")
		if (p == "wdmisr") { isr[q, c] = kn("isr_median_ns"); wake[q, c] = kn("wake_median_ns") }
	}
	$1 == "latency" && kv("ratio_median") != "" {
		q = pairof(); rmed[q, kv("reader_cpu")] = kn("ratio_median"); rp99[q, kv("reader_cpu")] = kn("ratio_p99")
	}
	$1 == "latency-hist" {
		q = pairof(); c = kv("reader_cpu"); x = sqrt(kn("lo_ns") * kn("hi_ns")) / 1000
		printf "%.3f %d\n", x, kn("count") > PLOTS "/latency-" q "-" c "-" kv("path") ".dat"
		# The last bin also counts every round above it: labelled so.
		last_x[q, c] = x; last_lo[q, c] = kn("lo_ns")
		hist_top[q] = kn("count") > hist_top[q] ? kn("count") : hist_top[q]
	}
	END {
		np = split("intx-intx intxsoft-intx msi-intx", order, " ")
		wlabel["intx-intx"] = "wdmisr, INTx, 88-byte record"; wlabel["msi-intx"] = "wdmisr, MSI, 88-byte record"
		wlabel["intxsoft-intx"] = "wdmisr, INTx, DPC in softirq, 88-byte record"
		plabel["intx-intx"] = "both on INTx, wdmisr'\''s DPCs threaded (fair)"; plabel["msi-intx"] = "wdmisr on MSI, UIO on INTx (unfair)"
		plabel["intxsoft-intx"] = "both on INTx, wdmisr'\''s DPCs in softirq (fair)"
		printf "| pair | reader | path | median | p99 | mean | min | max |\n|---|---|---|---|---|---|---|---|\n"
		for (k = 1; k <= np; k++) {
			q = order[k]
			if (!(q in pairs)) continue
			for (c = 0; c < 64; c++) {
				if (!(c in cpus)) continue
				where = c == 0 ? "on the interrupts'\'' CPU (0)" : "on CPU " c ", the interrupts on CPU 0"
				printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", plabel[q], where, wlabel[q],
					fmt_ns(med_[q, c, "wdmisr"]), fmt_ns(p99[q, c, "wdmisr"]), fmt_ns(mean[q, c, "wdmisr"]),
					fmt_ns(mn[q, c, "wdmisr"]), fmt_ns(mx[q, c, "wdmisr"])
				printf "| %s | %s | UIO, INTx, 4-byte count | %s | %s | %s | %s | %s |\n", plabel[q], where,
					fmt_ns(med_[q, c, "uio"]), fmt_ns(p99[q, c, "uio"]), fmt_ns(mean[q, c, "uio"]),
					fmt_ns(mn[q, c, "uio"]), fmt_ns(mx[q, c, "uio"])
				printf "| %s | %s | **wdmisr / UIO** | **%.3f** | **%.3f** | | | |\n", plabel[q], where, rmed[q, c], rp99[q, c]
				printf "%s %d %s %s %s %s %s %s\n", q, c, med_[q, c, "wdmisr"], med_[q, c, "uio"], rmed[q, c], p99[q, c, "wdmisr"], p99[q, c, "uio"], rp99[q, c] > PLOTS "/latency.sum"
				split_[q, c] = sprintf("reader %s: trigger to ISR %s, ISR to reader %s", c == 0 ? "on CPU 0" : "on CPU " c, fmt_ns(isr[q, c]), fmt_ns(wake[q, c]))
			}
		}
		hp = "intx-intx" in pairs ? "intx-intx" : "msi-intx"
		for (qc in last_x) {
			split(qc, kk, SUBSEP)
			printf "%.3f %d \"last bin: %s and above\"\n", last_x[qc], hist_top[kk[1]], fmt_ns(last_lo[qc]) > PLOTS "/latency-" kk[1] "-" kk[2] "-overflow.dat"
		}
		printf "%d\n", hist_top[hp] > PLOTS "/latency.top"
		printf "%s\n", hp > PLOTS "/latency.pair"
		printf "\n"
		if (("intx-intx" in pairs) && ("msi-intx" in pairs))
			printf "One boot, the pairs in turn: wdmisr.ko loaded with irq_mode=edu:msi threaded_dpc=1, then reloaded with irq_mode=edu:intx threaded_dpc=1%s; the UIO edu the same device throughout. ",
				("intxsoft-intx" in pairs) ? ", then again with irq_mode=edu:intx threaded_dpc=0 (its DPCs run in softirq as the interrupt exits, not in the irq thread)" : ""
		for (k = 1; k <= np; k++) {
			q = order[k]
			if (!(q in pairs)) continue
			printf "%s: %d rounds per reader placement", plabel[q], rounds[q]
			if ((q == "intx-intx" || q == "intxsoft-intx") && wline[q] != "")
				printf " (wdmisr'\''s edu on IRQ %s, UIO'\''s on IRQ %s, %s)", wline[q], uline[q],
					alone[q] == "yes" ? "each the only handler and the only device on its line, checked in the guest" : "**not** each alone on its line"
			else if (q == "msi-intx")
				printf " (uio_pci_generic has no MSI; MSI spares wdmisr'\''s path the masking of the line that INTx needs, which uio_pci_generic'\''s handler does with a config-space write)"
			printf ". "
		}
		printf "A round triggers each device once, which goes first alternating. "
		printf "Times run from just before the trigger to the reader holding the result. The wdmisr median split by the timestamp the ISR puts in the record: "
		sep = ""
		for (k = 1; k <= np; k++) {
			q = order[k]
			if (!(q in pairs)) continue
			for (c = 0; c < 64; c++) if (c in cpus) { printf "%s%s, %s", sep, plabel[q], split_[q, c]; sep = "; " }
		}
		printf ". No pair has both on MSI: uio_pci_generic has no MSI, and vfio-pci without an IOMMU needs CONFIG_VFIO_NOIOMMU, which Debian'\''s kernels do not set. "
		printf "The histograms are of the pair %s.\n", plabel[hp]
	}' PLOTS="$plots" "$data/latency.txt"
	# The plotted pair's files under the names plot.gp reads.
	local hp f
	hp=$(cat "$plots/latency.pair")
	for f in "$plots"/latency-"$hp"-*.dat; do
		cp "$f" "$plots/latency-${f##*/latency-"$hp"-}"
	done
}

# --- 3. throughput ------------------------------------------------------------------
throughput_md() {
	awk "$AWK_LIB"'
	$1 == "throughput-config" { chunk = kn("chunk"); chunks = kn("chunks"); skip = kn("skip"); rings = kn("rings") }
	$1 == "throughput" {
		p = kv("path"); f = kv("format"); i = kv("chunk") + 0
		rate[p, f, i] = kn("window_records") * 1e9 / kn("window_ns")
		usr[p, f] += kn("user_ns"); sys[p, f] += kn("sys_ns"); wrec[p, f] += kn("window_records")
		reads[p] += kn("reads"); recs[p] += kn("records"); n[p, f] = i > n[p, f] ? i : n[p, f]
	}
	$1 == "throughput-driver" { irqs = kn("interrupts"); events = kn("events"); dropped = kn("dropped") }
	END {
		split("json summary", fs, " ")
		for (k = 1; k <= 2; k++) {
			f = fs[k]
			for (i = 1; i <= n["wdmisr", f]; i++) {
				w[i] = rate["wdmisr", f, i]; z[i] = rate["zero", f, i]; r[i] = w[i] / z[i]
				W[f, i] = w[i]; Z[f, i] = z[i]; R[f, i] = r[i]
			}
			mw[f] = med(w, n["wdmisr", f]); mz[f] = med(z, n["zero", f]); mr[f] = med(r, n["wdmisr", f])
			worst[f] = r[1]
			for (i = 2; i <= n["wdmisr", f]; i++)
				worst[f] = r[i] < worst[f] ? r[i] : worst[f]
		}
		runs = n["wdmisr", "summary"]
		printf "| run | JSON to /dev/null: /dev/zero, records/s | wdmisr, records/s | ratio | summary: /dev/zero, records/s | wdmisr, records/s | ratio |\n|---|---|---|---|---|---|---|\n"
		for (i = 1; i <= runs; i++) {
			printf "| %d | %.0f | %.0f | %.3f | %.0f | %.0f | %.3f |\n", i, Z["json", i], W["json", i], R["json", i], Z["summary", i], W["summary", i], R["summary", i]
			printf "%d %.0f %.0f %.0f %.0f\n", i, Z["json", i], W["json", i], Z["summary", i], W["summary", i] > PLOTS "/throughput.dat"
		}
		printf "| **median** | **%.0f** | **%.0f** | **%.3f** | **%.0f** | **%.0f** | **%.3f** |\n", mz["json"], mw["json"], mr["json"], mz["summary"], mw["summary"], mr["summary"]
		printf "\n%d runs of %d records of 88 bytes from each source in each reader mode, the sources taking turns; each run'\''s clock starts after %d records (the driver queue and the %d rings fill while the reader is away). ", chunks, chunk, skip, rings
		printf "These runs measure the whole path, end to end: the producer on the host, its doorbells and the interrupts they raise, the driver, and the reader, all sharing the guest'\''s CPUs; below, the read path alone. "
		printf "JSON to /dev/null is wdmisr-read as users run it, printing every record; summary prints nothing per record (it checks order and CRCs), which leaves the share of the driver and of the producer'\''s interrupts. "
		printf "wdmisr: %d records in all, %d dropped, %d interrupts: %.1f records per interrupt; %.2f records per read() (/dev/zero: %.2f).\n",
			events, dropped, irqs, irqs ? events / irqs : 0, recs["wdmisr"] / reads["wdmisr"], recs["zero"] / reads["zero"]
		printf "\nWhere the reader'\''s time goes, per record, over all the runs'\'' timed windows (getrusage(), sampled by the scheduler tick):\n\n"
		printf "| reader mode | source | user | kernel, on the reader'\''s behalf |\n|---|---|---|---|\n"
		for (k = 1; k <= 2; k++)
			for (j = 1; j <= 2; j++) {
				f = fs[k]; p = j == 1 ? "zero" : "wdmisr"
				printf "| %s | %s | %s | %s |\n", f, p == "zero" ? "/dev/zero" : "wdmisr",
					fmt_ns(usr[p, f] / wrec[p, f]), fmt_ns(sys[p, f] / wrec[p, f])
			}
		printf "\nThe kernel column holds read() (copying the records out, and draining the rings into the queue as it makes room) and the interrupts that came while the reader ran, with the DPCs they ran in softirq as they exited (the kernel is built without IRQ time accounting).\n"
		printf "%.0f %.0f %.3f %.0f %.0f %.3f %.1f %.2f %.2f %d %.3f %d\n", mw["json"], mz["json"], mr["json"], mw["summary"], mz["summary"], mr["summary"],
			irqs ? events / irqs : 0, recs["wdmisr"] / reads["wdmisr"], recs["zero"] / reads["zero"], dropped, worst["json"], n["wdmisr", "json"] > PLOTS "/throughput.sum"
	}' PLOTS="$plots" "$data/throughput.txt"
}

# --- 3b. the read path, queue pre-filled -----------------------------------------------
# The "drain" lines of throughput.txt: each run drains a full event queue
# twice in summary mode, with read() and from the mapped ring, each after
# the same reader on /dev/zero. Nothing (and "-" in drain.sum) without them.
drain_md() {
	awk "$AWK_LIB"'
	$1 == "drain-config" { queue = kn("queue"); runs = kn("runs"); rings = kn("rings") }
	$1 == "drain" {
		p = kv("path"); m = kv("reader"); i = kv("run") + 0
		rate[p, m, i] = kn("window_ns") > 0 ? kn("window_records") * 1e9 / kn("window_ns") : 0
		usr[p, m] += kn("user_ns"); sys[p, m] += kn("sys_ns"); wrec[p, m] += kn("window_records")
		if (p == "wdmisr") { lost += queue - kn("records"); n[m] = i > n[m] ? i : n[m] }
	}
	END {
		if (!n["read"]) { print "-" > PLOTS "/drain.sum"; exit }
		split("read ring", ms, " ")
		name["read"] = "read()"; name["ring"] = "mapped ring"
		for (k = 1; k <= 2; k++) {
			m = ms[k]
			for (i = 1; i <= n[m]; i++) {
				w[i] = rate["wdmisr", m, i]; z[i] = rate["zero", m, i]; r[i] = z[i] ? w[i] / z[i] : 0
				W[m, i] = w[i]; Z[m, i] = z[i]; R[m, i] = r[i]
				lo[m] = i == 1 || r[i] < lo[m] ? r[i] : lo[m]; hi[m] = i == 1 || r[i] > hi[m] ? r[i] : hi[m]
			}
			mw[m] = med(w, n[m]); mz[m] = med(z, n[m]); mr[m] = med(r, n[m])
		}
		printf "| run | /dev/zero, records/s | wdmisr, read(), records/s | ratio | /dev/zero, records/s | wdmisr, mapped ring, records/s | ratio |\n|---|---|---|---|---|---|---|\n"
		for (i = 1; i <= n["read"]; i++)
			printf "| %d | %.0f | %.0f | %.3f | %.0f | %.0f | %.3f |\n", i, Z["read", i], W["read", i], R["read", i], Z["ring", i], W["ring", i], R["ring", i]
		printf "| **median** | **%.0f** | **%.0f** | **%.3f** | **%.0f** | **%.0f** | **%.3f** |\n", mz["read"], mw["read"], mr["read"], mz["ring"], mw["ring"], mr["ring"]
		printf "\nThe read path alone. wdmisr is loaded again with a %d-record event queue, which the producer fills while no reader reads: it releases %d records of each of its %d rings each time the guest rings its doorbell, then holds. ", queue, queue / rings, rings
		printf "The same reader, wdmisr-read --format summary, then takes exactly those %d queued records; no record is produced and no interrupt comes while it runs. ", queue
		printf "In each of %d runs the queue is filled twice and drained with read() (--no-mmap), then from the mapped event ring (the tool'\''s default), each drain after the same reader read %d records from /dev/zero (with read(): /dev/zero has no ring). ", n["read"], queue
		printf "The clock runs from the first batch of 64 records taken to the last. Each ratio is the median of the per-run ratios; spread over the runs: read() %.3f to %.3f, mapped ring %.3f to %.3f. ", lo["read"], hi["read"], lo["ring"], hi["ring"]
		printf "Every drain read all %d records (%d lost in all), each ring'\''s records of that fill in order, none malformed.\n", queue, lost
		printf "\nPer record, over the runs'\'' timed windows (getrusage(), sampled by the scheduler tick):\n\n"
		printf "| reader | source | user | kernel |\n|---|---|---|---|\n"
		for (k = 1; k <= 2; k++) {
			m = ms[k]
			printf "| %s | /dev/zero | %s | %s |\n", name[m], fmt_ns(usr["zero", m] / wrec["zero", m]), fmt_ns(sys["zero", m] / wrec["zero", m])
			printf "| %s | wdmisr | %s | %s |\n", name[m], fmt_ns(usr["wdmisr", m] / wrec["wdmisr", m]), fmt_ns(sys["wdmisr", m] / wrec["wdmisr", m])
		}
		for (k = 1; k <= 2; k++)
			printf "%.0f %.0f %.3f %.3f %.3f ", mw[ms[k]], mz[ms[k]], mr[ms[k]], lo[ms[k]], hi[ms[k]] > PLOTS "/drain.sum"
		printf "%d\n", lost > PLOTS "/drain.sum"
	}' PLOTS="$plots" "$data/throughput.txt"
}

# --- 4. scaling -----------------------------------------------------------------------
scaling_md() {
	awk "$AWK_LIB"'
	$1 == "scaling" && kv("reps") != "" { reps = kn("reps"); fires = kn("fires") }
	$1 == "scaling" && kv("variant") != "" {
		N = kv("vectors") + 0; v = kv("variant"); seen[N] = 1
		c[N, v] = kn("connect_ns"); d[N, v] = kn("disconnect_ns"); q[N, v] = kn("ns_per_irq")
		cr[N, v] = kn("connect_ratio"); qr[N, v] = kn("irq_ratio")
	}
	END {
		printf "| vectors | connect: raw | raw threaded | shim | shim / raw threaded (medians) | disconnect: raw | raw threaded | shim | ns/interrupt: raw | shim | shim / raw |\n"
		printf "|---|---|---|---|---|---|---|---|---|---|---|\n"
		k = 0
		for (N = 1; N <= 64; N++) {
			if (!(N in seen)) continue
			k++
			printf "| %d | %s | %s | %s | %.2f | %s | %s | %s | %.0f | %.0f | %.3f |\n", N,
				fmt_ns(c[N, "raw"]), fmt_ns(c[N, "raw_threaded"]), fmt_ns(c[N, "shim"]),
				c[N, "shim"] / c[N, "raw_threaded"],
				fmt_ns(d[N, "raw"]), fmt_ns(d[N, "raw_threaded"]), fmt_ns(d[N, "shim"]),
				q[N, "raw"], q[N, "shim"], qr[N, "shim"]
			printf "%d %.4f %.4f %.4f %.4f %.4f %.4f %.1f %.1f %.1f\n", N,
				c[N, "raw"] / 1e6, c[N, "raw_threaded"] / 1e6, c[N, "shim"] / 1e6,
				d[N, "raw"] / 1e6, d[N, "raw_threaded"] / 1e6, d[N, "shim"] / 1e6,
				q[N, "raw"], q[N, "raw_threaded"], q[N, "shim"] > PLOTS "/scaling.dat"
			x[k] = N; y[k] = c[N, "shim"]
			qmin = k == 1 || q[N, "shim"] < qmin ? q[N, "shim"] : qmin
			qmax = k == 1 || q[N, "shim"] > qmax ? q[N, "shim"] : qmax
			rmin = k == 1 || qr[N, "shim"] < rmin ? qr[N, "shim"] : rmin
			rmax = k == 1 || qr[N, "shim"] > rmax ? qr[N, "shim"] : rmax
			wmin = k == 1 || q[N, "raw"] < wmin ? q[N, "raw"] : wmin
			wmax = k == 1 || q[N, "raw"] > wmax ? q[N, "raw"] : wmax
		}
		# Least squares: shim connect time = a + b * vectors.
		for (i = 1; i <= k; i++) { sx += x[i]; sy += y[i]; sxx += x[i] * x[i]; sxy += x[i] * y[i] }
		b = (k * sxy - sx * sy) / (k * sxx - sx * sx); a = (sy - b * sx) / k
		for (i = 1; i <= k; i++) { e = y[i] - a - b * x[i]; sse += e * e; sst += (y[i] - sy / k) ^ 2 }
		r2 = 1 - sse / sst
		printf "\nMedians of %d connects per variant and number of vectors, each followed by %d interrupts spread evenly over the vectors and a disconnect; every round runs every number of vectors and every variant, in turn. ", reps, fires
		printf "The ratios are medians over the rounds. Shim connect time fits %s + %s per vector (R^2 = %.4f). ", fmt_ns(a), fmt_ns(b), r2
		printf "Shim ns per interrupt from 1 to 64 vectors: %.0f to %.0f; raw: %.0f to %.0f; shim against raw at the same number: %.3f to %.3f. ", qmin, qmax, wmin, wmax, rmin, rmax
		printf "The absolute figures move with the load on the host, raw as much as shim; the ratio at each number of vectors is what says whether the shim adds a cost that grows with them.\n"
		printf "%.0f %.0f %.3f %.3f %.3f %.0f %.0f %.5f %.0f %.0f %d %.0f %.0f %.0f %.3f\n", qmin, qmax, qmax / qmin, rmin, rmax, a, b, r2, wmin, wmax,
			N = x[k], c[N, "shim"], c[N, "raw_threaded"], c[N, "raw"], c[N, "shim"] / c[N, "raw_threaded"] > PLOTS "/scaling.sum"
	}' PLOTS="$plots" "$data/scaling.txt"
}

# --- summary -------------------------------------------------------------------------
summary_md() {
	local d l t s c r

	read -r -a d <"$plots/dispatch.sum"
	read -r -a c <"$plots/stats.sum"
	read -r -a s <"$plots/scaling.sum"
	read -r -a t <"$plots/throughput.sum"
	read -r -a r <"$plots/drain.sum"
	awk -v D="${d[*]}" -v C="${c[*]}" "$AWK_LIB"'
	BEGIN {
		split(D, d, " "); split(C, c, " ")
		# The spread: this run and the phases with statistics below.
		spread = ""
		if (c[1] != "-" && c[9] != "") {
			lo = c[9] < d[3] ? c[9] : d[3]; hi = c[10] > d[3] ? c[10] : d[3]
			spread = sprintf(" (%d runs: %.3f to %.3f)", c[7] + 1, lo, hi)
		}
		printf "| # | what | measured | baseline | ratio | goal | met |\n|---|---|---|---|---|---|---|\n"
		printf "| 1 | dispatch: shim ISR returning TRUE, ns per interrupt | %.0f | raw handler: %.0f | %.3f%s | at most 1.10 | %s |\n", d[2], d[1], d[3], spread, yes(d[3] <= 1.10)
		printf "| 1 | dispatch: shim ISR + DPC (softirq), ISR + DPC queue cost, ns per interrupt | %.0f | raw handler: %.0f | %.3f | | |\n", d[4], d[1], d[5]
		if (d[11] != "-")
			printf "| 1 | dispatch: shim ISR + DPC (softirq), interrupt to DPC done, ns per interrupt | %.0f | raw handler: %.0f | %.3f | | |\n", d[11], d[1], d[12]
		if (d[9] != "-")
			printf "| 1 | dispatch: shim ISR + threaded DPC, ISR + DPC queue cost, ns per interrupt | %.0f | raw handler: %.0f | %.3f | | |\n", d[9], d[1], d[10]
		if (d[13] != "-")
			printf "| 1 | dispatch: shim ISR + threaded DPC, interrupt to DPC done, ns per interrupt | %.0f | raw handler: %.0f | %.3f | | |\n", d[13], d[1], d[14]
		printf "| 1 | dispatch: 4-deep shared chain, 3 FALSE, ns per interrupt | %.0f | raw handler: %.0f | %.3f | | |\n", d[8], d[1], d[6]
		printf "| 1 | dispatch: the same chain | %.0f | raw 4-deep chain: %.0f | %.3f | | |\n", d[8], d[7], d[8] / d[7]
	}'
	# What the statistics cost, if this run measured it.
	[ "${c[0]}" = - ] || awk -v C="${c[*]}" "$AWK_LIB"'
	BEGIN {
		split(C, c, " ")
		printf "| 1 | dispatch: statistics on / compiled out, shim ISR returning TRUE: shim / raw, median of %d and of %d phase%s | on: %.3f | compiled out: %.3f | %.3f | at most 1.03 | %s |\n", c[7], c[8], c[8] == 1 ? "" : "s", c[1], c[2], c[3], yes(c[3] <= 1.03)
		printf "| 1 | dispatch: statistics on / compiled out, shim ISR + DPC: shim / raw | on: %.3f | compiled out: %.3f | %.3f | | |\n", c[4], c[5], c[6]
	}'
	# Fair pairs first; the goal is theirs.
	while read -r -a l; do
		awk -v L="${l[*]}" "$AWK_LIB"'BEGIN {
			split(L, l, " ")
			where = l[2] == 0 ? "reader on the interrupts'\'' CPU" : "reader on another CPU"
			if (l[1] == "intx-intx" || l[1] == "intxsoft-intx") {
				what = l[1] == "intx-intx" ? "wdmisr (threaded DPCs, threaded_dpc=1) and UIO both on INTx" : "wdmisr (DPCs in softirq, threaded_dpc=0, its default but on PREEMPT_RT) and UIO both on INTx"
				goal = "at most 1.0"
				gm = yes(l[5] <= 1.0); gp = yes(l[8] <= 1.0)
			} else {
				what = "wdmisr on MSI against UIO on INTx (unfair: UIO has no MSI)"; goal = ""; gm = ""; gp = ""
			}
			printf "| 2 | latency to userspace, %s, %s: median | wdmisr: %s | UIO: %s | %.3f | %s | %s |\n", what, where, fmt_ns(l[3]), fmt_ns(l[4]), l[5], goal, gm
			printf "| 2 | latency to userspace, %s, %s: p99 | wdmisr: %s | UIO: %s | %.3f | %s | %s |\n", what, where, fmt_ns(l[6]), fmt_ns(l[7]), l[8], goal, gp
		}'
	done < <(grep '^intx-intx ' "$plots/latency.sum"; grep '^intxsoft-intx ' "$plots/latency.sum"
		grep -Ev '^intx(soft)?-intx ' "$plots/latency.sum")
	awk -v T="${t[*]}" -v S="${s[*]}" -v R="${r[*]}" "$AWK_LIB"'
	BEGIN {
		split(T, t, " "); split(S, s, " "); split(R, r, " ")
		printf "| 3 | throughput end to end (producer -> wdmisr -> reader), wdmisr-read JSON to /dev/null, records/s with %d lost | %.0f | same reader on /dev/zero: %.0f | %.3f (worst of %d runs: %.3f) | at least 0.5 in every run | %s |\n", t[10], t[1], t[2], t[3], t[12], t[11], yes(t[11] >= 0.5 && t[10] == 0)
		printf "| 3 | throughput end to end (producer -> wdmisr -> reader), wdmisr-read summary (no output per record), records/s with %d lost | %.0f | same reader on /dev/zero: %.0f | %.3f | at least 0.5 | %s |\n", t[10], t[4], t[5], t[6], yes(t[6] >= 0.5 && t[10] == 0)
		printf "| 3 | records per interrupt; per read() | %.1f; %.2f | /dev/zero: -; %.2f | | | |\n", t[7], t[8], t[9]
		if (r[1] != "-") {
			printf "| 3 | read path, queue pre-filled, read(): wdmisr records/s / same reader on /dev/zero, summary mode, %d lost | %.0f | same reader on /dev/zero: %.0f | %.3f (runs %.3f to %.3f) | at least 0.5 | %s |\n", r[11], r[1], r[2], r[3], r[4], r[5], yes(r[3] >= 0.5 && r[11] == 0)
			printf "| 3 | read path, queue pre-filled, mapped ring: wdmisr records/s / same reader on /dev/zero, summary mode, %d lost | %.0f | same reader on /dev/zero: %.0f | %.3f (runs %.3f to %.3f) | at least 0.5 | %s |\n", r[11], r[6], r[7], r[8], r[9], r[10], yes(r[8] >= 0.5 && r[11] == 0)
		}
		printf "| 4 | scaling 1..64 MSI-X vectors: shim ns per interrupt against raw at the same number | shim/raw %.3f to %.3f | raw: %.0f to %.0f ns | largest/smallest %.3f | flat: at most 1.20 | %s |\n", s[4], s[5], s[9], s[10], s[5] / s[4], yes(s[5] / s[4] <= 1.20)
		printf "| 4 | scaling: shim connect time, fit over 1..64 vectors (R^2 %.4f) | %s + %s per vector; %s at %d | at %d: request_threaded_irq %s, request_irq %s | %.3f (to threaded at %d, medians) | linear: R^2 at least 0.98 | %s |\n", s[8], fmt_ns(s[6]), fmt_ns(s[7]), fmt_ns(s[12]), s[11], s[11], fmt_ns(s[13]), fmt_ns(s[14]), s[15], s[11], yes(s[8] >= 0.98)
	}'
}

dispatch=$(dispatch_md)
stats=$(stats_md)
hist=$(hist_md)
latency=$(latency_md)
throughput=$(throughput_md)
drain=$(drain_md)
scaling=$(scaling_md)
summary=$(summary_md)

# --- plots ---------------------------------------------------------------------------
if [ "$(cat "$plots/latency.pair")" = intx-intx ]; then
	lat_title="wdmisr and UIO both on INTx (88-byte record, 4-byte count)"
else
	lat_title="wdmisr (MSI, 88-byte record) against UIO (INTx, 4-byte count)"
fi
# The histograms only from a run that read them; no older plot left over.
have_hist=0
if [ -n "$hist" ]; then
	have_hist=1
else
	rm -f "$out/histograms.png"
fi
gnuplot -e "plots='$plots'; out='$out'; lat_title='$lat_title'; hist=$have_hist" "$TOP/bench/plot.gp"

# --- results.md ----------------------------------------------------------------------
kernel=$(meta dispatch kernel)
{
	echo "# wdmisr benchmarks"
	echo
	echo "Made by \`$(meta dispatch command | tr '_' ' ')\` on $(meta dispatch date), guest kernel $kernel,"
	echo "$(meta dispatch qemu | tr '_' ' ') TCG (one TCG thread for 2 vCPUs, 512 MiB) on a $(meta dispatch host_cpus)-CPU"
	echo "$(meta dispatch host_model | tr '_' ' ') host shared with other work. One QEMU boot per scenario."
	echo
	echo "Under TCG absolute times are not hardware times. Every figure is compared"
	echo "with a baseline measured in the same guest, in the same run, the two taking"
	echo "turns; read the ratios."
	echo
	echo "$summary"
	echo
	echo "## 1. Dispatch cost"
	echo
	echo "$dispatch"
	echo
	echo "![dispatch](dispatch.png)"
	echo
	if [ -n "$stats" ]; then
		echo "### What the statistics cost"
		echo
		echo "$stats"
		echo
	fi
	if [ -n "$hist" ]; then
		echo "### wdm.ko's histograms of the run"
		echo
		echo "$hist"
		echo
		echo "![histograms](histograms.png)"
		echo
	fi
	echo "## 2. Latency to userspace"
	echo
	echo "$latency"
	echo
	echo "![latency](latency.png)"
	echo
	echo "## 3. Throughput"
	echo
	echo "$throughput"
	echo
	echo "![throughput](throughput.png)"
	if [ -n "$drain" ]; then
		echo
		echo "### The read path, queue pre-filled"
		echo
		echo "$drain"
	fi
	echo
	echo "## 4. Scaling"
	echo
	echo "$scaling"
	echo
	echo "![scaling](scaling.png)"
} >"$out/results.md"
