# SPDX-License-Identifier: GPL-2.0
# The benchmark plots, from the data files bench/report.sh writes into the
# directory `plots`; the PNGs go to the directory `out`:
#   gnuplot -e "plots='DIR'; out='DIR'" bench/plot.gp

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
	set terminal pngcairo size 960,540 font ",10"
} else {
	set terminal png size 960,540
}
# Names like request_irq are text, not subscripts.
set termoption noenhanced
set grid ytics
set key top left

# 1. Dispatch cost: ns per interrupt per variant, with the ratio to raw. The
# data's fourth column: 0 for a hard-IRQ batch time, 1 for a batch timed up
# to its last DPC done.
set output out."/dispatch.png"
set title "Dispatch cost: ns per interrupt through genirq (median of 1000-interrupt batches; label: ratio to raw)"
set style fill solid 0.6 border -1
set boxwidth 0.6
set yrange [0:*]
set offsets 0.5, 0.5, graph 0.1, 0
set ylabel "ns per interrupt (TCG)"
set xtics nomirror
plot plots."/dispatch.dat" using 0:2:($4 > 0 ? 0xed7d31 : 0x4472c4):xtic(1) with boxes \
		lc rgb variable notitle, \
	'' using 0:2:(sprintf("%.2fx", $3)) with labels offset 0,1 notitle, \
	NaN with boxes lc rgb "#4472c4" title "in hard-IRQ context: the handler or ISR (and its DPC queuing)", \
	NaN with boxes lc rgb "#ed7d31" title "interrupt to DPC done (DPCs in softirq, threaded DPCs in the irq thread)"
set offsets 0, 0, 0, 0

# 2. Latency: histograms of both paths, one panel per reader placement.
set output out."/latency.png"
# The pair plotted (bench/report.sh: the fair one when the data has it).
if (!exists("lat_title")) lat_title = "wdmisr (MSI, 88-byte record) against UIO (INTx, 4-byte count)"
set multiplot layout 1,2 title "Trigger to reader: ".lat_title
set logscale x
set xlabel "latency, us (log scale)"
set ylabel "rounds"
set autoscale x
# One y scale for both panels: the largest bin of either, plus room for
# the label of the last bin, which also counts every round above it.
set autoscale y
stats plots."/latency.top" using 1 nooutput
set yrange [0:STATS_max * 1.05]
set key top left
set title "reader on the interrupts' CPU (0)"
plot plots."/latency-0-wdmisr.dat" using 1:2 with histeps lw 2 title "wdmisr", \
	plots."/latency-0-uio.dat" using 1:2 with histeps lw 2 title "UIO", \
	plots."/latency-0-overflow.dat" using 1:($2 * 0.3):3 with labels right offset -1,0 notitle, \
	'' using 1:($2 * 0.27):(0):(-$2 * 0.27) with vectors lc rgb "#555555" notitle
set title "reader on CPU 1, interrupts on CPU 0"
plot plots."/latency-1-wdmisr.dat" using 1:2 with histeps lw 2 title "wdmisr", \
	plots."/latency-1-uio.dat" using 1:2 with histeps lw 2 title "UIO", \
	plots."/latency-1-overflow.dat" using 1:($2 * 0.3):3 with labels right offset -1,0 notitle, \
	'' using 1:($2 * 0.27):(0):(-$2 * 0.27) with vectors lc rgb "#555555" notitle
unset multiplot
unset logscale x
unset xlabel

# 3. Throughput: records/s of each run, the same reader on both sources, in
# each reader mode.
set output out."/throughput.png"
set multiplot layout 1,2 title "Throughput: records/s of wdmisr-read, ivshmem -> wdmisr against /dev/zero"
set style data histograms
set style histogram clustered gap 1
set boxwidth 0.9
set ylabel "records/s (TCG, log scale)"
set format y "%.1s%c"
set xlabel "run"
set key below
# One y scale for both panels, so that their bars compare: logarithmic,
# so that the JSON mode's bars, 20 times shorter, can still be read.
set autoscale y
stats plots."/throughput.dat" using 2 nooutput
tmin = STATS_min
tmax = STATS_max
do for [col = 3:5] {
	stats plots."/throughput.dat" using col nooutput
	tmin = STATS_min < tmin ? STATS_min : tmin
	tmax = STATS_max > tmax ? STATS_max : tmax
}
set logscale y
set yrange [tmin / 2:tmax * 1.5]
# The same plot height in both panels, whatever their keys take.
set bmargin 6
set title "JSON to /dev/null (as users run it)"
plot plots."/throughput.dat" using 2:xtic(1) title "/dev/zero (copy and syscall bound)" lc rgb "#a5a5a5", \
	'' using 3 title "ivshmem -> wdmisr, zero loss" lc rgb "#4472c4"
set title "summary: no output per record (the kernel's share)"
plot plots."/throughput.dat" using 4:xtic(1) title "/dev/zero" lc rgb "#a5a5a5", \
	'' using 5 title "ivshmem -> wdmisr" lc rgb "#4472c4"
unset multiplot
unset logscale y
set bmargin
set autoscale y
set key default
set style data points
set format y "%g"

# 4. Scaling: connect/disconnect time and per-interrupt cost against vectors.
set output out."/scaling.png"
set multiplot layout 1,2 title "Scaling with MSI-X vectors (ivshmem-doorbell, medians)"
# A linear axis: the times grow linearly with the vectors, which a log2
# axis would draw as an exponential.
set xlabel "MSI-X vectors"
set xrange [0:*]
set key top left
set title "connect (solid) and disconnect (dashed)"
set ylabel "ms"
set yrange [0:*]
plot plots."/scaling.dat" using 1:2 with linespoints lw 2 lc 1 title "raw request_irq connect", \
	'' using 1:3 with linespoints lw 2 lc 2 title "raw request_threaded_irq connect", \
	'' using 1:4 with linespoints lw 2 lc 3 title "shim IoConnectInterruptEx", \
	'' using 1:5 with linespoints dt 2 lc 1 title "raw free_irq", \
	'' using 1:6 with linespoints dt 2 lc 2 title "raw threaded free_irq", \
	'' using 1:7 with linespoints dt 2 lc 3 title "shim IoDisconnectInterruptEx"
set title "ns per interrupt, spread over the vectors"
set ylabel "ns per interrupt (TCG)"
set yrange [0:*]
set key bottom right
plot plots."/scaling.dat" using 1:8 with linespoints lw 2 lc 1 title "raw", \
	'' using 1:9 with linespoints lw 2 lc 2 title "raw threaded", \
	'' using 1:10 with linespoints lw 2 lc 3 title "shim"
unset multiplot

# 5. wdm.ko's histograms of the dispatch run's shim objects (hist=1 when
# the data has them; bench/report.sh writes a file per variant and kind):
# log2 buckets at their lower bounds in ns, each drawn as a step across its
# bucket; an empty bucket lies on the floor. Dashes tell apart lines that
# lie on each other.
if (exists("hist") && hist) {
	if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
		set terminal pngcairo size 1440,560 font ",10"
	} else {
		set terminal png size 1440,560
	}
	set termoption noenhanced
	set output out."/histograms.png"
	set multiplot layout 1,3 title "wdm.ko's histograms of the dispatch run's shim interrupt objects (2^10 ns = 1.02 us, 2^20 ns = 1.05 ms)"
	set logscale x 2
	set logscale y
	set autoscale x
	set xtics 4
	set yrange [0.5:*]
	set xlabel "ns, log2 buckets"
	set ylabel "count (log scale)"
	set format x "2^%L"
	set format y "%g"
	set key below vertical
	# The same plot height in every panel, whatever their keys take.
	set bmargin 8
	onfloor(c) = c > 0 ? c : 0.5
	f(k, v) = plots."/hist-".k."-".v.".dat"
	set title "ISR duration"
	plot f("isr_ns", "shim") using 1:(onfloor($2)) with steps lw 2 lc 1 dt 1 title "ISR returning TRUE", \
		f("isr_ns", "shim_dpc") using 1:(onfloor($2)) with steps lw 2 lc 2 dt 2 title "ISR queuing a DPC", \
		f("isr_ns", "shim_tdpc") using 1:(onfloor($2)) with steps lw 2 lc 3 dt 3 title "ISR queuing a threaded DPC"
	set title "DPC duration"
	plot f("dpc_ns", "shim_dpc") using 1:(onfloor($2)) with steps lw 2 lc 2 dt 2 title "DPC (softirq)", \
		f("dpc_ns", "shim_tdpc") using 1:(onfloor($2)) with steps lw 2 lc 3 dt 3 title "threaded DPC (irq thread)"
	set title "ISR-to-DPC latency"
	plot f("latency_ns", "shim_dpc") using 1:(onfloor($2)) with steps lw 2 lc 2 dt 2 title "DPC (softirq)", \
		f("latency_ns", "shim_tdpc") using 1:(onfloor($2)) with steps lw 2 lc 3 dt 3 title "threaded DPC (irq thread)"
	unset multiplot
}
