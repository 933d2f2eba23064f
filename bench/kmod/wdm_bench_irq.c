// SPDX-License-Identifier: GPL-2.0
/*
 * The interrupts the benchmarks fire: the KUnit suites' private irq domain
 * and firing code, compiled into this module too, so that both measure and
 * test through one implementation.
 */
#include "../../kunit/wdm_test_irq.c"
