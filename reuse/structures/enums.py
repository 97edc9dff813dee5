from django.db import models
from django.utils.translation import gettext_lazy as _


class StructureCategory(models.TextChoices):
    VERY_SMALL_BUSINESS = "tpe", _("Très petite entreprise (moins de 10 salariés)")
    SELF_EMPLOYED = "self_employed", _("Travailleur indépendant, micro-entrepreneur")
    SMALL_ASSOCIATION = "small_association", _("Petite association employeuse ou bénévole")


# A very small business has fewer than 10 people (INSEE's "microentreprise"): above, it is not a small structure.
MAX_HEADCOUNT = 9

# Cheques in one batch staff issue (the admin's form and the service both refuse more).
MAX_BATCH = 500
