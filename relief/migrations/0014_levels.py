"""Levels as data: every organizing unit (``District``) and receiving unit (``Ward``) says its level.

The rows that exist are the 2021 programs' districts and wards, so they become level district and ward. The
column is added nullable, filled, then made required, so no row ever holds a level chosen by a default.
"""

import django.db.models.deletion
from django.db import migrations, models


def historical_levels(apps, schema_editor):
    """The units recorded before levels existed are the 2021 shape: a district over its wards."""
    apps.get_model("relief", "District").objects.filter(level__isnull=True).update(level="district")
    apps.get_model("relief", "Ward").objects.filter(level__isnull=True).update(level="ward")


class Migration(migrations.Migration):

    dependencies = [
        ('relief', '0013_campaign_report_days'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='district',
            options={'ordering': ['name'], 'verbose_name': 'đơn vị tổ chức', 'verbose_name_plural': 'đơn vị tổ chức'},
        ),
        migrations.AlterModelOptions(
            name='ward',
            options={'ordering': ['district__name', 'code'], 'verbose_name': 'đơn vị nhận', 'verbose_name_plural': 'đơn vị nhận'},
        ),
        migrations.AddField(
            model_name='district',
            name='level',
            field=models.CharField(choices=[('city', 'Thành phố'), ('province', 'Tỉnh'), ('district', 'Quận'), ('ward', 'Phường'), ('commune', 'Xã'), ('special_zone', 'Đặc khu')], max_length=20, null=True, verbose_name='cấp'),
        ),
        migrations.AddField(
            model_name='ward',
            name='level',
            field=models.CharField(choices=[('ward', 'Phường'), ('commune', 'Xã'), ('special_zone', 'Đặc khu'), ('khu_pho', 'Khu phố'), ('to_dan_pho', 'Tổ dân phố'), ('thon', 'Thôn'), ('ap', 'Ấp')], max_length=20, null=True, verbose_name='cấp'),
        ),
        migrations.RunPython(historical_levels, migrations.RunPython.noop),  # going back drops the column
        migrations.AlterField(
            model_name='district',
            name='level',
            field=models.CharField(choices=[('city', 'Thành phố'), ('province', 'Tỉnh'), ('district', 'Quận'), ('ward', 'Phường'), ('commune', 'Xã'), ('special_zone', 'Đặc khu')], default='district', max_length=20, verbose_name='cấp'),
        ),
        migrations.AlterField(
            model_name='ward',
            name='level',
            field=models.CharField(choices=[('ward', 'Phường'), ('commune', 'Xã'), ('special_zone', 'Đặc khu'), ('khu_pho', 'Khu phố'), ('to_dan_pho', 'Tổ dân phố'), ('thon', 'Thôn'), ('ap', 'Ấp')], default='ward', max_length=20, verbose_name='cấp'),
        ),
        migrations.AlterField(
            model_name='allocation',
            name='ward',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='allocations', to='relief.ward', verbose_name='đơn vị nhận'),
        ),
        migrations.AlterField(
            model_name='bag',
            name='ward',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='bags', to='relief.ward', verbose_name='đơn vị nhận'),
        ),
        migrations.AlterField(
            model_name='campaign',
            name='district',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='campaigns', to='relief.district', verbose_name='đơn vị tổ chức'),
        ),
        migrations.AlterField(
            model_name='distribution',
            name='ward',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='distributions', to='relief.ward', verbose_name='đơn vị nhận'),
        ),
        migrations.AlterField(
            model_name='historicalallocation',
            name='ward',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='relief.ward', verbose_name='đơn vị nhận'),
        ),
        migrations.AlterField(
            model_name='historicalbag',
            name='ward',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='relief.ward', verbose_name='đơn vị nhận'),
        ),
        migrations.AlterField(
            model_name='historicalcampaign',
            name='district',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='relief.district', verbose_name='đơn vị tổ chức'),
        ),
        migrations.AlterField(
            model_name='historicaldistribution',
            name='ward',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='relief.ward', verbose_name='đơn vị nhận'),
        ),
        migrations.AlterField(
            model_name='historicalwardrequest',
            name='ward',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='relief.ward', verbose_name='đơn vị nhận'),
        ),
        migrations.AlterField(
            model_name='user',
            name='district',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='users', to='relief.district', verbose_name='đơn vị tổ chức'),
        ),
        migrations.AlterField(
            model_name='user',
            name='ward',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='officers', to='relief.ward', verbose_name='đơn vị nhận'),
        ),
        migrations.AlterField(
            model_name='ward',
            name='district',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='wards', to='relief.district', verbose_name='đơn vị tổ chức'),
        ),
        migrations.AlterField(
            model_name='wardrequest',
            name='ward',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='requests', to='relief.ward', verbose_name='đơn vị nhận'),
        ),
        migrations.AddConstraint(
            model_name='district',
            constraint=models.CheckConstraint(condition=models.Q(('level__in', ['city', 'province', 'district', 'ward', 'commune', 'special_zone'])), name='district_level_organizes'),
        ),
        migrations.AddConstraint(
            model_name='ward',
            constraint=models.CheckConstraint(condition=models.Q(('level__in', ['ward', 'commune', 'special_zone', 'khu_pho', 'to_dan_pho', 'thon', 'ap'])), name='ward_level_receives'),
        ),
    ]
