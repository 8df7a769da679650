# Sections' text, pull quotes and figures, and the lead quotes, become blocks.

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def quotes_figures_and_text_to_blocks(apps, schema_editor):
    """Each section's text, then its figures, then its pull quotes, as readers saw them."""
    Section = apps.get_model("articles", "Section")
    Quote = apps.get_model("articles", "Quote")
    Figure = apps.get_model("articles", "Figure")
    Block = apps.get_model("articles", "Block")
    blocks = [
        Block(
            article_id=quote.article_id,
            position=quote.position,
            kind="quote",
            **{name: getattr(quote, name) for name in QUOTE_FIELDS},
        )
        for quote in Quote.objects.filter(section__isnull=True).order_by("position", "id")
    ]
    for section in Section.objects.order_by("article_id", "position", "id").iterator():
        in_order = []
        if section.body.strip():
            in_order.append(Block(kind="text", body=section.body, body_html=section.body_html))
        for figure in Figure.objects.filter(section=section).order_by("position", "id"):
            in_order.append(Block(kind="photo", image_id=figure.image_id, caption=figure.caption))
        for quote in Quote.objects.filter(section=section).order_by("position", "id"):
            in_order.append(
                Block(kind="quote", **{name: getattr(quote, name) for name in QUOTE_FIELDS})
            )
        for position, block in enumerate(in_order):
            block.article_id, block.section_id, block.position = (
                section.article_id,
                section.pk,
                position,
            )
        blocks += in_order
    Block.objects.bulk_create(blocks, batch_size=1000)


def blocks_to_quotes_figures_and_text(apps, schema_editor):
    """Back to one text per section with its figures and quotes after it; embeds, which
    had no place before, become links at the end of the section's text."""
    Section = apps.get_model("articles", "Section")
    Quote = apps.get_model("articles", "Quote")
    Figure = apps.get_model("articles", "Figure")
    Block = apps.get_model("articles", "Block")
    from articles.markdown import render_markdown

    for section in Section.objects.iterator():
        texts = []
        for block in Block.objects.filter(section=section).order_by("position", "id"):
            if block.kind == "text":
                texts.append(block.body)
            elif block.kind == "embed":
                texts.append(f"[{block.title or block.url}]({block.url})")
            elif block.kind == "photo":
                Figure.objects.create(
                    article_id=section.article_id,
                    section=section,
                    image_id=block.image_id,
                    caption=block.caption,
                    position=block.position,
                )
            else:
                Quote.objects.create(
                    article_id=section.article_id,
                    section=section,
                    position=block.position,
                    **{name: getattr(block, name) for name in QUOTE_FIELDS},
                )
        section.body = "\n\n".join(texts)
        section.body_html = render_markdown(section.body)
        section.save(update_fields=["body", "body_html"])
    for block in Block.objects.filter(section__isnull=True):
        Quote.objects.create(
            article_id=block.article_id,
            position=block.position,
            **{name: getattr(block, name) for name in QUOTE_FIELDS},
        )


def grant_block_permissions(apps, schema_editor):
    """Whoever may write sections may write their blocks: the same actions on both."""
    # Permissions are normally created after all migrations have run; the groups need them now.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(permissions__codename__endswith="_section").distinct():
        actions = [
            codename.removesuffix("_section")
            for codename in group.permissions.filter(
                content_type__app_label="articles", codename__endswith="_section"
            ).values_list("codename", flat=True)
        ]
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="articles",
                codename__in=[f"{action}_block" for action in actions],
            )
        )


QUOTE_FIELDS = ["text", "speaker", "speaker_role", "source_name", "source_url", "said_on"]


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0009_add_rendered_article'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.CreateModel(
            name='Block',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField(default=0)),
                ('kind', models.CharField(choices=[('text', 'Text'), ('quote', 'Quote'), ('photo', 'Photo'), ('embed', 'Embed')], default='text', max_length=10)),
                ('body', models.TextField(blank=True, help_text='Markdown: blank lines between paragraphs, *emphasis*, **bold**, [link text](https://…), “- ” for lists, “> ” for block quotes.')),
                ('body_html', models.TextField(blank=True, editable=False)),
                ('text', models.TextField(blank=True, help_text='Without quotation marks.', verbose_name='quoted words')),
                ('speaker', models.CharField(blank=True, max_length=200)),
                ('speaker_role', models.CharField(blank=True, help_text='E.g. “NASA administrator”.', max_length=200)),
                ('source_name', models.CharField(blank=True, help_text='Where it was said or published.', max_length=200)),
                ('source_url', models.URLField(blank=True, max_length=500)),
                ('said_on', models.DateField(blank=True, null=True)),
                ('caption', models.TextField(blank=True, help_text="Shown under the photo. Empty: the photo's own caption from the library.")),
                ('url', models.URLField(blank=True, help_text='The address of a post, video, audio, chart or document, as its site shows it.', max_length=500, verbose_name='embed URL')),
                ('provider', models.CharField(blank=True, editable=False, max_length=40)),
                ('title', models.CharField(blank=True, help_text="Shown on the embed's placeholder.", max_length=300)),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='blocks', to='articles.article')),
                ('image', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='blocks', to='articles.image')),
                ('section', models.ForeignKey(blank=True, help_text="Empty for the article's lead quote.", null=True, on_delete=django.db.models.deletion.CASCADE, related_name='blocks', to='articles.section')),
            ],
            options={
                'ordering': ['position', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='block',
            index=models.Index(fields=['article', 'section'], name='block_article_section_idx'),
        ),
        migrations.AddConstraint(
            model_name='block',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('body__gt', ''), ('kind', 'text')), models.Q(('kind', 'quote'), ('speaker__gt', ''), ('text__gt', '')), models.Q(('image__isnull', False), ('kind', 'photo')), models.Q(('kind', 'embed'), ('url__gt', '')), _connector='OR'), name='block_has_its_kinds_content', violation_error_message='A block needs its content: text, a quote and its speaker, a photo or an embed URL.'),
        ),
        migrations.AddConstraint(
            model_name='block',
            constraint=models.CheckConstraint(condition=models.Q(('section__isnull', False), ('kind', 'quote'), _connector='OR'), name='block_outside_sections_is_a_quote', violation_error_message='Only a quote can stand outside the sections.'),
        ),
        migrations.RunPython(quotes_figures_and_text_to_blocks, blocks_to_quotes_figures_and_text),
        migrations.RunPython(grant_block_permissions, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='section',
            name='body',
        ),
        migrations.RemoveField(
            model_name='section',
            name='body_html',
        ),
        migrations.DeleteModel(
            name='Figure',
        ),
        migrations.DeleteModel(
            name='Quote',
        ),
    ]
