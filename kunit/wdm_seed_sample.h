/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The example code of Microsoft's InterruptService and
 * InterruptMessageService pages, declaration and definition as printed
 * there. Only the bodies are filled in, each with one call to a routine
 * that the file including this one defines:
 *
 *	static BOOLEAN wdm_seed_service(PKINTERRUPT Interrupt,
 *					PVOID ServiceContext);
 *	static BOOLEAN wdm_seed_message_service(PKINTERRUPT Interrupt,
 *						PVOID ServiceContext,
 *						ULONG MessageId);
 *
 * One file of each module includes it: kunit/wdm_seed_test.c (KUnit, on a
 * test interrupt) and tests/seed-module/wdm_seed.c (an edu device). The
 * layout is Microsoft's, so this file is left out of checkpatch
 * (scripts/lint.sh says so).
 */
#ifndef _WDM_SEED_SAMPLE_H
#define _WDM_SEED_SAMPLE_H

#include <wdm.h>

static BOOLEAN wdm_seed_service(PKINTERRUPT Interrupt, PVOID ServiceContext);
static BOOLEAN wdm_seed_message_service(PKINTERRUPT Interrupt,
					PVOID ServiceContext, ULONG MessageId);

/* From the InterruptService page, unchanged but for the body. */
KSERVICE_ROUTINE MyInterruptService;

_Use_decl_annotations_
BOOLEAN
  MyInterruptService(
    struct _KINTERRUPT  *Interrupt,
    PVOID  ServiceContext
    )
  {
      return wdm_seed_service(Interrupt, ServiceContext);
  }

/* From the InterruptMessageService page, unchanged but for the body. */
KMESSAGE_SERVICE_ROUTINE MyInterruptMessageService;

_Use_decl_annotations_
BOOLEAN
  MyInterruptMessageService(
    struct _KINTERRUPT  *Interrupt,
    PVOID  ServiceContext,
    ULONG  MessageId
    )
  {
      return wdm_seed_message_service(Interrupt, ServiceContext, MessageId);
  }

#endif /* _WDM_SEED_SAMPLE_H */
