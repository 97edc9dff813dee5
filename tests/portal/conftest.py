import pytest
from django.contrib.auth.models import Group

from cms.groups import COORDINATORS, REVIEWERS
from tests.factories.accounts import UserFactory

# Every page type of the seeded tree, by its French path.
SEEDED_PAGES = {
    "/": "HomePage",
    "/comment-ca-marche/": "HowItWorksPage",
    "/conditions-eligibilite/": "EligibilityPage",
    "/questions-frequentes/": "FaqPage",
    "/actualites/": "NewsIndexPage",
    "/actualites/ouverture-seine-saint-denis/": "NewsPage",
    "/actualites/cheques-numeriques-acceptes/": "NewsPage",
    "/ateliers/": "WorkshopDirectoryPage",
    "/ateliers/departement/93/": "WorkshopDirectoryPage",
    "/mentions-legales/": "StandardPage",
    "/accessibilite/": "StandardPage",
}


@pytest.fixture
def coordinator(db):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=COORDINATORS))
    return user


@pytest.fixture
def reviewer(db):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=REVIEWERS))
    return user
