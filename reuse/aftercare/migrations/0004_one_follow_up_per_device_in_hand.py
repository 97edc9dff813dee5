"""One device in the household's hands, one 3-month questionnaire. Before follow_ups.follow_up_for moved the
questionnaire of a swapped device to its replacement, a replacement handed over got one of its own and the device
it replaced kept its own: the household was asked twice about one device. For each chain of swaps holding more
than one questionnaire, the unanswered ones go: all of them when the household already answered one (a swap never
asks twice), else all but the one of the newest claim (the device in hand). An answered one is never deleted."""

from django.db import migrations


def ahead(claim_id, replaced_by):
    """The newest claim of this claim's chain of swaps (the device in hand) and how many swaps lie before it."""
    steps, seen = 0, {claim_id}
    while (after := replaced_by.get(claim_id)) is not None and after not in seen:
        seen.add(after)
        claim_id, steps = after, steps + 1
    return claim_id, steps


def keep_one_follow_up_per_device_in_hand(apps, schema_editor):
    Ticket = apps.get_model("aftercare", "Ticket")
    FollowUp = apps.get_model("aftercare", "FollowUp")
    replaced_by = dict(
        Ticket.objects.filter(status="swapped", replacement_claim__isnull=False).values_list(
            "claim_id", "replacement_claim_id"
        )
    )
    if not replaced_by:
        return
    chains = {}
    for follow_up in FollowUp.objects.order_by("pk"):
        chains.setdefault(ahead(follow_up.claim_id, replaced_by)[0], []).append(follow_up)
    doomed = []
    for follow_ups in chains.values():
        if len(follow_ups) < 2:
            continue
        unanswered = [f for f in follow_ups if f.answered_at is None]
        if len(unanswered) < len(follow_ups):
            doomed += unanswered
        else:
            unanswered.sort(key=lambda f: ahead(f.claim_id, replaced_by)[1])
            doomed += unanswered[1:]
    FollowUp.objects.filter(pk__in=[f.pk for f in doomed], answered_at__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("aftercare", "0003_warranty_help_says_the_law"),
    ]

    operations = [
        migrations.RunPython(keep_one_follow_up_per_device_in_hand, migrations.RunPython.noop),
    ]
