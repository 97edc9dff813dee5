from django.db import migrations

INTRO = (
    "Rebond donne une seconde vie aux ordinateurs, tablettes et téléphones des entreprises et des services publics. "
    "Des ateliers solidaires les effacent, les réparent et les confient, à prix solidaire, aux foyers et aux "
    "associations qui en ont besoin."
)


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("cms.HomePage")

    # Wagtail's own first migration adds a placeholder welcome page; the portal's home replaces it.
    Page.objects.filter(depth=2, content_type__app_label="wagtailcore", content_type__model="page").delete()
    locale, _ = Locale.objects.get_or_create(language_code="fr")
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    root = Page.objects.get(depth=1)
    home = HomePage.objects.create(
        title="Rebond, le réemploi solidaire du numérique",
        draft_title="Rebond, le réemploi solidaire du numérique",
        slug="accueil",
        content_type=content_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=0,
        url_path="/accueil/",
        locale=locale,
        intro=INTRO,
        live=True,
    )
    Page.objects.filter(pk=root.pk).update(numchild=1)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Rebond"}
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("cms.HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
