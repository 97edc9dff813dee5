"""Digital vouchers and their funders."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from reuse.claims.models import Voucher, VoucherFunder


class VoucherFunderFactory(DjangoModelFactory):
    class Meta:
        model = VoucherFunder

    name = factory.Sequence(lambda n: f"Financeur {n}")


class VoucherFactory(DjangoModelFactory):
    class Meta:
        model = Voucher

    code = factory.Sequence(lambda n: f"PASS-{n:05d}")
    face_value_cents = 2000
    funder = factory.SubFactory(VoucherFunderFactory)
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))
