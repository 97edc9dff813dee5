"""Texts of the demo's other pages (eligibility, FAQ, news, directory, legal notice, accessibility) and menus."""

from cms.demo_content import rt

ELIGIBILITY = {
    "fr": {
        "title": "Qui peut obtenir un appareil ?",
        "intro": (
            "Les règles dépendent du programme de votre territoire. Choisissez votre département pour voir les "
            "conditions, les plafonds et les prix en vigueur aujourd’hui."
        ),
        "body": rt(
            "<h2>Besoin d’aide ?</h2>",
            "Un travailleur social, un conseiller numérique ou un agent France Services peut vérifier votre "
            "éligibilité et demander un appareil avec vous, même si vous n’avez pas d’adresse e-mail.",
        ),
    },
    "en": {
        "title": "Who can get a device?",
        "intro": (
            "The rules depend on your area’s programme. Choose your department to see today’s conditions, caps "
            "and prices."
        ),
        "body": rt(
            "<h2>Need help?</h2>",
            "A social worker, a digital adviser or a France Services agent can check your eligibility and request "
            "a device with you, even if you have no email address.",
        ),
    },
}

FAQ = {
    "fr": {
        "title": "Questions fréquentes",
        "intro": "Les réponses aux questions qu’on nous pose le plus souvent.",
        "sections": [
            (
                "Obtenir un appareil",
                [
                    (
                        "Combien coûte un appareil ?",
                        "Le prix solidaire dépend du programme de votre territoire et de l’état de l’appareil. Il est souvent nul ; un chèque numérique peut couvrir tout ou partie du prix.",
                    ),
                    (
                        "Quels justificatifs dois-je fournir ?",
                        "Une attestation de votre prescripteur, un justificatif de droits (RSA, AAH, CSS…) vérifié par l’équipe, ou une vérification automatique auprès de la CAF par un partenaire public.",
                    ),
                    (
                        "Je n’ai pas d’adresse e-mail, comment faire ?",
                        "Un prescripteur (CCAS, France Services, travailleur social) peut faire la demande pour vous ; votre code de retrait vous est remis sur papier.",
                    ),
                    (
                        "Combien de temps l’appareil m’est-il réservé ?",
                        "La durée de réservation est fixée par le programme, en général 48 heures. Elle est affichée sur la page d’éligibilité.",
                    ),
                ],
            ),
            (
                "Donner du matériel",
                [
                    (
                        "Mes données sont-elles effacées ?",
                        "Oui. Chaque support est effacé selon la norme NIST SP 800-88 avec un outil reconnu ; vous recevez un certificat par appareil et par lot.",
                    ),
                    (
                        "Puis-je obtenir un reçu fiscal ?",
                        "Lorsque l’atelier est un organisme d’intérêt général, il peut émettre un reçu (cerfa 16216) pour un don en nature, valorisé à la valeur nette comptable.",
                    ),
                    (
                        "Que deviennent les appareils irréparables ?",
                        "Ils sont démontés pour pièces ou confiés à une filière de recyclage agréée ; le rapport de votre lot l’indique pour chaque numéro de série.",
                    ),
                ],
            ),
        ],
    },
    "en": {
        "title": "Frequently asked questions",
        "intro": "Answers to the questions we hear most often.",
        "sections": [
            (
                "Getting a device",
                [
                    (
                        "How much does a device cost?",
                        "The solidarity price depends on your area’s programme and the device’s condition. It is often zero; a digital voucher can cover all or part of it.",
                    ),
                    (
                        "What proof do I need?",
                        "An attestation from your referrer, a proof of benefits (RSA, AAH, CSS…) checked by the team, or an automatic check with the CAF by a public partner.",
                    ),
                    (
                        "I have no email address: what can I do?",
                        "A referrer (CCAS, France Services, social worker) can apply for you; your pickup code is given to you on paper.",
                    ),
                    (
                        "How long is the device kept for me?",
                        "The hold time is set by the programme, usually 48 hours. It is shown on the eligibility page.",
                    ),
                ],
            ),
            (
                "Donating devices",
                [
                    (
                        "Is my data erased?",
                        "Yes. Every medium is erased following NIST SP 800-88 with a recognised tool; you get a certificate per device and per lot.",
                    ),
                    (
                        "Can I get a tax receipt?",
                        "When the workshop is an organisation of general interest, it can issue a receipt (cerfa 16216) for an in-kind gift, valued at net book value.",
                    ),
                    (
                        "What happens to devices that cannot be repaired?",
                        "They are taken apart for spare parts or sent to an approved recycling channel; your lot’s report says so for each serial number.",
                    ),
                ],
            ),
        ],
    },
}

NEWS_INDEX = {
    "fr": {"title": "Actualités", "intro": "Les nouvelles du réseau Rebond."},
    "en": {"title": "News", "intro": "News from the Rebond network."},
}

ARTICLES = [
    {
        "slug": "ouverture-seine-saint-denis",
        "date": "2026-10-05",
        "image": True,
        "fr": {
            "title": "Rebond ouvre en Seine-Saint-Denis",
            "intro": "Un premier atelier à Saint-Denis et un programme commun avec le Val-d’Oise.",
            "body": rt(
                "L’Atelier du Rebond Saint-Denis accueille depuis octobre les premiers lots donnés par des "
                "entreprises du territoire. Les habitants éligibles de Seine-Saint-Denis et du Val-d’Oise peuvent "
                "désormais demander un appareil reconditionné.",
            ),
        },
        "en": {
            "title": "Rebond opens in Seine-Saint-Denis",
            "intro": "A first workshop in Saint-Denis and a joint programme with the Val-d’Oise.",
            "body": rt(
                "Since October the Atelier du Rebond Saint-Denis has been receiving the first lots donated by local "
                "companies. Eligible residents of Seine-Saint-Denis and Val-d’Oise can now request a refurbished "
                "device.",
            ),
        },
    },
    {
        "slug": "cheques-numeriques-acceptes",
        "date": "2026-11-02",
        "image": False,
        "fr": {
            "title": "Les chèques numériques sont acceptés",
            "intro": "Les pass numériques distribués par les collectivités peuvent couvrir le prix solidaire.",
            "body": rt(
                "Un chèque numérique vaut 10 € ; il peut payer tout ou partie d’un appareil dans les programmes qui "
                "l’acceptent. Il reste valable jusqu’au 31 décembre de son année d’émission.",
            ),
        },
        "en": {
            "title": "Digital vouchers are accepted",
            "intro": "The digital passes handed out by local authorities can cover the solidarity price.",
            "body": rt(
                "A digital voucher is worth €10; it can pay for all or part of a device in the programmes that "
                "accept it. It is valid until 31 December of the year it was issued.",
            ),
        },
    },
]

DIRECTORY = {
    "fr": {
        "title": "Trouver un atelier",
        "intro": "Les ateliers vérifiés du réseau, leurs horaires et leurs services, par département.",
    },
    "en": {
        "title": "Find a workshop",
        "intro": "The network’s verified workshops, their opening hours and services, by department.",
    },
}

LEGAL = {
    "fr": {
        "title": "Mentions légales",
        "intro": "Éditeur, hébergeur et données personnelles.",
        "body": rt(
            "<h2>Éditeur</h2>",
            "Ce site est édité par l’équipe d’animation Rebond, 10 rue de la Solidarité, 75011 Paris.",
            "<h2>Hébergement</h2>",
            "Le site est hébergé en France par un hébergeur soumis au droit français.",
            "<h2>Données personnelles</h2>",
            "Les justificatifs d’éligibilité sont conservés dans un espace privé et supprimés à l’issue de la durée "
            "de conservation. Le numéro de sécurité sociale n’est jamais enregistré. Pour exercer vos droits, "
            "écrivez à l’adresse de contact indiquée en bas de page.",
        ),
    },
    "en": {
        "title": "Legal notices",
        "intro": "Publisher, host and personal data.",
        "body": rt(
            "<h2>Publisher</h2>",
            "This site is published by the Rebond team, 10 rue de la Solidarité, 75011 Paris.",
            "<h2>Hosting</h2>",
            "The site is hosted in France by a host subject to French law.",
            "<h2>Personal data</h2>",
            "Eligibility documents are kept in a private space and deleted at the end of the retention period. The "
            "social security number is never stored. To exercise your rights, write to the contact address at the "
            "bottom of the page.",
        ),
    },
}

ACCESSIBILITY = {
    "fr": {
        "title": "Déclaration d’accessibilité",
        "intro": "Rebond s’engage à rendre son site accessible conformément à l’article 47 de la loi n° 2005-102.",
        "body": rt(
            "<h2>État de conformité</h2>",
            "Le site est partiellement conforme au référentiel général d’amélioration de l’accessibilité (RGAA 4.1) : "
            "chaque type de page est vérifié automatiquement (axe-core) ; un audit complet reste à conduire.",
            "<h2>Contenus non accessibles</h2>",
            "Certaines photos d’appareils publiées par les ateliers peuvent manquer de description.",
            "<h2>Retour d’information et contact</h2>",
            "Si vous n’arrivez pas à accéder à un contenu ou à un service, écrivez-nous : nous vous répondrons et "
            "vous proposerons une autre façon d’y accéder.",
            "<h2>Voie de recours</h2>",
            "Si notre réponse ne vous satisfait pas, vous pouvez saisir le Défenseur des droits.",
        ),
    },
    "en": {
        "title": "Accessibility statement",
        "intro": "Rebond is committed to making its site accessible under article 47 of French law 2005-102.",
        "body": rt(
            "<h2>Compliance status</h2>",
            "The site partially complies with the French accessibility framework (RGAA 4.1): every page type is "
            "checked automatically (axe-core); a full audit remains to be done.",
            "<h2>Non-accessible content</h2>",
            "Some device photos published by workshops may lack a description.",
            "<h2>Feedback and contact</h2>",
            "If you cannot reach some content or service, write to us: we will answer and offer another way in.",
            "<h2>Remedies</h2>",
            "If our answer does not satisfy you, you can refer the matter to the Défenseur des droits.",
        ),
    },
}

NAVIGATION = [
    # label, English label, page key or address
    ("Comment ça marche", "How it works", "how_it_works"),
    ("Éligibilité", "Eligibility", "eligibility"),
    ("Catalogue", "Catalogue", "/catalogue/"),
    ("Ateliers", "Workshops", "directory"),
    ("Actualités", "News", "news"),
    ("FAQ", "FAQ", "faq"),
]
FOOTER = [
    ("Notre impact", "Our impact", "/dons/impact/"),
    ("Données ouvertes (CSV)", "Open data (CSV)", "/api/v1/open-data/lieux.csv"),
]
