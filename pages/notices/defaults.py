"""The text each notice has until a liaison manager saves a version of their own.

Kept in code rather than seeded by a data migration, so that the pages read right on a fresh
database, after a test flushes the tables, and before anyone has edited them. Written in the
notices' markup (markup.py).
"""

import datetime

# When the default text was written and last reviewed: the pages say "Last updated" this day
# until a manager saves a version.
PREPARED_ON = datetime.date(2026, 12, 4)

PRIVACY = """\
This notice explains what happens to your information when you ask a Kirklees councillor for help, and when the council's Councillor Support & Liaison Team works on your case.

## Who is responsible for your information

Who decides what happens to your information (the "controller", in data protection law) depends on who holds your case. Each case records which of these it is.

- Ward councillor: when you ask one of your ward councillors for help, that councillor is the controller of your case, not the council. Councillors are registered with the Information Commissioner's Office (ICO) in their own right.
- Member of the council: when a councillor holds a case for the council itself, for example as a cabinet member or on a committee, Kirklees Council is the controller.
- Advocacy by the council's team: when the Councillor Support & Liaison Team works your case for your councillor, Kirklees Council is the controller of what its team holds.

## What we hold

- your name, address and how you would like to be contacted (email address or phone number)
- what you asked for help with, and notes of what was done
- letters, emails and files about your case, and what council services said
- sensitive details (such as health, benefits or housing need) only when they are needed to help you

## Why we may hold it

Every case records the basis the law gives us for holding your information (UK GDPR Article 6):

- Public task: helping residents who ask for help is part of the role of an elected member. This is the usual basis.
- Consent: you agreed to us holding your information for your case. We then ask you before we share your case with each council service, and you can change your mind at any time.
- Vital interests: only to protect someone's life or safety when there is no time or way to ask.
- Legal obligation: when the law requires it.

For sensitive details the law asks for a further condition (UK GDPR Article 9). Usually this is the condition for elected representatives responding to requests (Data Protection Act 2018, Schedule 1, paragraph 23). It may instead be your explicit consent, someone's vital interests, safeguarding a child or an adult at risk (Schedule 1, paragraph 18), or a legal claim.

## Who we share it with

We share your case only with the council services, and the named officers, who need it to answer your request, and only the details they need. Sensitive details are never sent in referral emails or notifications. We do not sell your information, and councillors must not use it for political campaigning.

## How long we keep it

We keep a case for 2 years after it is closed (6 years for a complaint). After that we remove your name, contact details and what was written about you. What is left (the ward, the kind of request, the dates and the outcome) keeps the council's reports true but no longer says who you are.

## Your rights

You have the right to:

- ask for a copy of the information we hold about you (a subject access request): we answer within one calendar month
- ask us to correct information that is wrong
- ask us to delete your information, or to stop or limit using it
- object to how we use it
- withdraw your consent, where we hold your information on your consent

## How to ask

Ask the councillor who holds your case, or contact Kirklees Council through [www.kirklees.gov.uk](https://www.kirklees.gov.uk) and ask for the Councillor Support & Liaison Team or the council's Data Protection Officer.

If you are unhappy with how we have handled your information, you can complain to the Information Commissioner's Office at [ico.org.uk](https://ico.org.uk) or on 0303 123 1113.
"""

ACCESSIBILITY = """\
This accessibility statement applies to Kirklees Council's councillor casework service, including its public pages: the ward pages, the councillor role profile and Place Standard surveys.

This service is run by Kirklees Council. We want as many people as possible to be able to use it. For example, that means you should be able to:

- change colours, contrast levels and fonts using browser or device settings
- zoom in up to 400% without the text spilling off the screen
- navigate most of the service using a keyboard or speech recognition software
- listen to most of the service using a screen reader (including the most recent versions of JAWS, NVDA and VoiceOver)

We have also made the text as simple as possible to understand.

[AbilityNet](https://mcmw.abilitynet.org.uk/) has advice on making your device easier to use if you have a disability.

## How accessible this service is

We know some parts of this service are not fully accessible:

- some documents that staff upload, such as PDF briefings, may not be accessible to screen reader software
- the Place Standard compass is a picture: the same scores are in a table beside it

## Feedback and contact information

If you need information on this service in a different format, like accessible PDF, large print, easy read, audio recording or braille, contact Kirklees Council through [www.kirklees.gov.uk](https://www.kirklees.gov.uk). We'll consider your request and get back to you within 10 working days.

## Reporting accessibility problems with this service

We're always looking to improve the accessibility of this service. If you find any problems not listed on this page or think we're not meeting accessibility requirements, contact Kirklees Council through [www.kirklees.gov.uk](https://www.kirklees.gov.uk) and ask for the Councillor Support & Liaison Team.

## Enforcement procedure

The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the "accessibility regulations"). If you're not happy with how we respond to your complaint, contact the [Equality Advisory and Support Service (EASS)](https://www.equalityadvisoryservice.com/).

If you are in Northern Ireland and are not happy with how we respond to your complaint, you can contact the [Equality Commission for Northern Ireland (ECNI)](https://www.equalityni.org/Home), who are responsible for enforcing the accessibility regulations in Northern Ireland.

## Technical information about this service's accessibility

Kirklees Council is committed to making this service accessible, in accordance with the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.

### Compliance status

This service is partially compliant with the [Web Content Accessibility Guidelines version 2.2](https://www.w3.org/TR/WCAG22/) AA standard, due to the non-compliances listed below.

## Non-accessible content

The content listed below is non-accessible for the following reasons.

### Non-compliance with the accessibility regulations

Documents uploaded by staff (briefings, learning resources and files on cases) are not checked for accessibility when they are uploaded. Some may not have a structure a screen reader can follow (WCAG 2.2 success criterion 1.3.1, info and relationships). When we publish new documents we'll make sure they meet accessibility standards.

### Disproportionate burden

We are not claiming disproportionate burden for any part of this service.

### Content that's not within the scope of the accessibility regulations

PDFs and other documents published before 23 September 2018 that are not essential to providing our services are exempt.

## What we're doing to improve accessibility

Every page of the service is built from the GOV.UK Design System. We check every change to the service automatically (see below) before it is released, and we fix any accessibility problem reported to us.

## Preparation of this accessibility statement

This statement was prepared on 4 December 2026. It was last reviewed on 4 December 2026.

This service was last tested on 4 December 2026 against the WCAG 2.2 AA standard. The test was carried out by the team that builds the service. Every page is checked in a real browser with the axe-core accessibility engine (WCAG 2.0, 2.1 and 2.2 A and AA rules), the main tasks are tried using only a keyboard, and every page is checked at the width of a phone.
"""

DEFAULTS = {"privacy": PRIVACY, "accessibility": ACCESSIBILITY}
