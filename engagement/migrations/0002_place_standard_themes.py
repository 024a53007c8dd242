"""Load the 14 Place Standard themes from data/place_standard_themes.csv, with our question wording.

A data migration rather than a seed command: the score columns (score_1 … score_14) are part of
the schema, so the theme rows they stand for must exist wherever the schema does (tests, demo,
production) without anyone remembering to run something. It updates rows in place by number, so
running it on a database that already has themes changes nothing but wording.
"""
import csv

from django.conf import settings
from django.db import migrations

THEMES_FILE = settings.BASE_DIR / "data" / "place_standard_themes.csv"

# Our own wording. 1 means a lot could be better; 7 means very little could be better.
WORDING = {
    "moving_around": ("How easy is it to walk, wheel or cycle to the places you need to go?",
                      "Think about pavements, crossings, paths, hills and how safe the routes feel."),
    "public_transport": ("How well do buses and trains serve you?",
                         "Think about where they go, how often, what they cost and how easy they are to use."),
    "traffic_and_parking": ("How well do traffic and parking work here for everyone?",
                            "Think about speeding, congestion, parked cars blocking the way, and room for people."),
    "streets_and_spaces": ("How pleasant are the buildings, streets and public spaces?",
                           "Think about how they look and feel, and whether you can find your way around."),
    "natural_space": ("How easy is it to get to and enjoy parks, green spaces and water?",
                      "Think about woods, fields, rivers, canals and how well looked after they are."),
    "play_and_recreation": ("Are there good places for play, sport and time outdoors, for all ages?",
                            "Think about playgrounds, pitches, leisure centres and places teenagers can go."),
    "facilities_and_amenities": ("Do the shops, services and facilities here meet your needs?",
                                 "Think about GP surgeries, schools, libraries, shops, cafés and community buildings."),
    "work_and_local_economy": ("Are there good jobs, training and local businesses here?",
                               "Think about work nearby, volunteering, apprenticeships and how busy the high street is."),
    "housing_and_community": ("Does the housing here meet people's needs?",
                              "Think about the kind, quality and cost of homes, and whether people can stay as needs change."),
    "social_contact": ("Are there places and chances to meet and spend time with other people?",
                       "Think about community groups, events, places of worship and somewhere to sit and chat."),
    "identity_and_belonging": ("Does this place have a good identity that people feel part of?",
                               "Think about local history, pride in the area, and whether everyone feels welcome."),
    "feeling_safe": ("How safe do you feel here, day and night?",
                     "Think about crime, anti-social behaviour, lighting and how safe you feel walking alone."),
    "care_and_maintenance": ("How well are buildings and spaces looked after?",
                             "Think about litter, fly-tipping, repairs, graffiti and who keeps things tidy."),
    "influence_and_sense_of_control": ("Do you feel able to take part in decisions and help change things here?",
                                       "Think about being asked your views, being listened to, and joining local groups."),
}


def load_themes(apps, schema_editor):
    Theme = apps.get_model("engagement", "Theme")
    with open(THEMES_FILE, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    numbers = sorted(int(row["number"]) for row in rows)
    if numbers != list(range(1, 15)):
        raise ValueError(f"{THEMES_FILE} must number its themes 1 to 14, one each, to match the score columns")
    for row in rows:
        question, hint = WORDING[row["slug"]]
        Theme.objects.update_or_create(
            number=int(row["number"]),
            defaults={"slug": row["slug"], "name": row["name"], "question": question, "hint": hint},
        )


class Migration(migrations.Migration):

    dependencies = [
        ("engagement", "0001_place_standard"),
    ]

    operations = [
        migrations.RunPython(load_themes, migrations.RunPython.noop),
    ]
