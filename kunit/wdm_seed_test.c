// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the example code of Microsoft's InterruptService and
 * InterruptMessageService pages (wdm_seed_sample.h) compiles against <wdm.h>
 * and works: the ISR is connected and fires.
 */
#include <kunit/test.h>

#include "wdm_test.h"

static int seed_calls;
static ULONG seed_message;

/* The body of the sample's MyInterruptService. */
static BOOLEAN wdm_seed_service(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
	seed_calls++;
	return ServiceContext == &seed_calls;
}

/* The body of the sample's MyInterruptMessageService. */
static BOOLEAN wdm_seed_message_service(PKINTERRUPT Interrupt,
					PVOID ServiceContext, ULONG MessageId)
{
	seed_message = MessageId;
	return TRUE;
}

#include "wdm_seed_sample.h"

static void wdm_seed_isr_connects_and_fires(struct kunit *test)
{
	struct wdm_test_irqs irqs = {};
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	PKINTERRUPT intr = NULL;
	DEVICE_OBJECT pdo;
	PKMESSAGE_SERVICE_ROUTINE message_isr = MyInterruptMessageService;

	KUNIT_ASSERT_EQ(test, wdm_test_irqs_init(test, &irqs), 0);
	wdm_init_device_object(&pdo, NULL);
	wdm_test_fully_specified(&p, &pdo, irqs.virq[0], &intr, MyInterruptService,
				 &seed_calls);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	wdm_test_fire(irqs.virq[0]);
	wdm_test_fire(irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, seed_calls, 2);
	KUNIT_EXPECT_EQ(test, wdm_test_irq_unhandled(irqs.virq[0]), 0);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, intr),
			STATUS_SUCCESS);
	wdm_test_irqs_exit(&irqs);
	/* The message routine has the type IoConnectInterruptEx takes. */
	KUNIT_EXPECT_EQ(test, message_isr(NULL, NULL, 7), (BOOLEAN)TRUE);
	KUNIT_EXPECT_EQ(test, seed_message, 7U);
}

static struct kunit_case wdm_seed_cases[] = {
	KUNIT_CASE(wdm_seed_isr_connects_and_fires),
	{}
};

static struct kunit_suite wdm_seed_suite = {
	.name = "wdm_seed",
	.test_cases = wdm_seed_cases,
};

kunit_test_suite(wdm_seed_suite);
