from cms.models.pages import (
    EligibilityPage,
    FaqPage,
    HomePage,
    HowItWorksPage,
    NewsIndexPage,
    NewsPage,
    StandardPage,
    WorkshopDirectoryPage,
)
from cms.models.site_settings import NavigationSettings, SiteSettings

__all__ = [
    "EligibilityPage",
    "FaqPage",
    "HomePage",
    "HowItWorksPage",
    "NavigationSettings",
    "NewsIndexPage",
    "NewsPage",
    "SiteSettings",
    "StandardPage",
    "WorkshopDirectoryPage",
]
