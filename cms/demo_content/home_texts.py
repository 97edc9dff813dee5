"""Texts of the demo's home page and its how-it-works page (French and English)."""

from cms.demo_content import rt

HOME = {
    "fr": {
        "title": "Rebond, le réemploi solidaire du numérique",
        "intro": (
            "Rebond donne une seconde vie aux ordinateurs, tablettes et téléphones des entreprises et des services "
            "publics. Des ateliers solidaires les effacent, les réparent et les confient, à prix solidaire, aux "
            "foyers et aux associations qui en ont besoin."
        ),
        "entry_points": [
            (
                "donor",
                "Je veux donner",
                "Entreprise, collectivité, administration : confiez vos appareils réformés. Effacement certifié, "
                "suivi de chaque numéro de série et rapport d’impact.",
                "Donner du matériel",
                "/dons/",
            ),
            (
                "workshop",
                "J’ai un atelier",
                "Atelier de réparation, tiers-lieu, structure de l’ESS : recevez des lots près de chez vous, "
                "effacez, réparez et proposez les appareils aux habitants.",
                "Rejoindre le réseau",
                "/atelier/",
            ),
            (
                "household",
                "J’ai besoin d’un appareil",
                "RSA, AAH, bourse, complémentaire santé solidaire… Vérifiez votre éligibilité et choisissez un "
                "appareil reconditionné, souvent gratuit.",
                "Vérifier mon éligibilité",
                "eligibility",
            ),
            (
                "association",
                "Nous sommes une association",
                "Association, structure de l’ESS : demandez plusieurs appareils pour votre public ou vos équipes, "
                "dans la limite d’un plafond annuel.",
                "Inscrire mon association",
                "/eligibilite/association/inscription/",
            ),
        ],
        "body": rt(
            "<h2>Pourquoi Rebond ?</h2>",
            "En France, 13 à 14 millions de personnes sont éloignées du numérique. Dans le même temps, plus d’un "
            "million d’appareils d’entreprise par an pourraient être redistribués au lieu d’être détruits.",
            "Un appareil seul ne suffit pas : les ateliers et les prescripteurs du réseau accompagnent aussi la "
            "prise en main, avec les conseillers numériques et les France Services.",
        ),
    },
    "en": {
        "title": "Rebond, solidarity reuse of digital devices",
        "intro": (
            "Rebond gives a second life to the computers, tablets and phones of companies and public bodies. "
            "Solidarity workshops wipe and repair them, then pass them on at a solidarity price to the households "
            "and associations that need them."
        ),
        "entry_points": [
            (
                "donor",
                "I want to donate",
                "Companies, local authorities, public bodies: hand over your retired devices. Certified erasure, "
                "every serial number tracked, and an impact report.",
                "Donate devices",
                "/dons/",
            ),
            (
                "workshop",
                "I run a workshop",
                "Repair workshops, third places, social economy organisations: receive lots near you, wipe, "
                "repair and offer the devices to local people.",
                "Join the network",
                "/atelier/",
            ),
            (
                "household",
                "I need a device",
                "RSA, AAH, student grant, complémentaire santé solidaire… Check whether you are eligible and "
                "choose a refurbished device, often free.",
                "Check my eligibility",
                "eligibility",
            ),
            (
                "association",
                "We are an association",
                "Associations and social economy organisations: request several devices for the people you "
                "serve or your staff, within a yearly cap.",
                "Register my association",
                "/eligibilite/association/inscription/",
            ),
        ],
        "body": rt(
            "<h2>Why Rebond?</h2>",
            "In France, 13 to 14 million people are left out of digital life. Meanwhile more than a million "
            "corporate devices a year could be passed on instead of being destroyed.",
            "A device alone is not enough: the network’s workshops and referrers also help people get started, "
            "with digital advisers and France Services.",
        ),
    },
}

HOW_IT_WORKS = {
    "fr": {
        "title": "Comment ça marche",
        "intro": "Trois publics, un même circuit local : du parc informatique réformé au foyer équipé.",
        "sections": [
            (
                "donor",
                "Vous donnez des appareils",
                [
                    (
                        "Déclarez un lot",
                        "Saisissez vos appareils ou importez l’export de votre outil de parc (CSV ou Excel).",
                    ),
                    (
                        "Un atelier proche l’accepte",
                        "Rebond confie le lot à un atelier de votre territoire, selon sa capacité.",
                    ),
                    (
                        "Enlèvement et effacement",
                        "Chaque support de stockage est effacé selon la norme NIST SP 800-88, avec un certificat.",
                    ),
                    (
                        "Suivi et rapport",
                        "Vous suivez chaque numéro de série jusqu’à sa remise ou son recyclage, avec un rapport d’impact.",
                    ),
                ],
            ),
            (
                "workshop",
                "Vous tenez un atelier",
                [
                    ("Recevez des lots", "Acceptez les lots de votre territoire et pointez ce qui arrive."),
                    (
                        "Effacez, réparez, classez",
                        "Enregistrez l’effacement, le diagnostic et le grade de chaque appareil.",
                    ),
                    (
                        "Mettez en ligne",
                        "Fixez le prix solidaire dans les bornes du programme et publiez l’appareil.",
                    ),
                    ("Remettez l’appareil", "Remettez-le contre le code de retrait du bénéficiaire."),
                ],
            ),
            (
                "household",
                "Vous avez besoin d’un appareil",
                [
                    (
                        "Vérifiez votre éligibilité",
                        "Quelques questions suffisent ; un prescripteur peut le faire avec vous.",
                    ),
                    ("Choisissez un appareil", "Parcourez le catalogue des ateliers proches de chez vous."),
                    (
                        "Réservez et payez, ou pas",
                        "Le prix solidaire est souvent nul ; un chèque numérique peut le couvrir.",
                    ),
                    (
                        "Retirez-le à l’atelier",
                        "Présentez votre code de retrait ; l’atelier vous aide à le prendre en main.",
                    ),
                ],
            ),
        ],
    },
    "en": {
        "title": "How it works",
        "intro": "Three audiences, one local circuit: from a retired IT fleet to an equipped household.",
        "sections": [
            (
                "donor",
                "You donate devices",
                [
                    (
                        "Declare a lot",
                        "Enter your devices or import your asset tool’s export (CSV or Excel).",
                    ),
                    (
                        "A nearby workshop accepts it",
                        "Rebond assigns the lot to a workshop in your area, by capacity.",
                    ),
                    (
                        "Pickup and erasure",
                        "Every storage medium is erased following NIST SP 800-88, with a certificate.",
                    ),
                    (
                        "Tracking and report",
                        "Follow every serial number to its handover or recycling, with an impact report.",
                    ),
                ],
            ),
            (
                "workshop",
                "You run a workshop",
                [
                    ("Receive lots", "Accept lots from your area and check what arrives."),
                    (
                        "Wipe, repair, grade",
                        "Record the erasure, the diagnosis and the grade of each device.",
                    ),
                    (
                        "List it",
                        "Set the solidarity price within the programme’s bounds and publish the device.",
                    ),
                    ("Hand it over", "Hand it over against the beneficiary’s pickup code."),
                ],
            ),
            (
                "household",
                "You need a device",
                [
                    ("Check your eligibility", "A few questions are enough; a referrer can do it with you."),
                    ("Choose a device", "Browse the catalogue of the workshops near you."),
                    (
                        "Book it and pay, or not",
                        "The solidarity price is often zero; a digital voucher can cover it.",
                    ),
                    (
                        "Collect it at the workshop",
                        "Show your pickup code; the workshop helps you get started.",
                    ),
                ],
            ),
        ],
    },
}
