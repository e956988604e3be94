"""The first version of the public knowledge pages, in Swedish and English."""

from django.db import migrations

PAGES = [
    {
        "slug": "om-metoden",
        "position": 10,
        "title_sv": "Om TIF – Tillsammans mot illegala försändelser",
        "title_en": "About TIF – Together against illegal parcels",
        "summary_sv": "Vad metoden är, vem som deltar och vad som händer på ett samverkansmöte.",
        "summary_en": "What the method is, who takes part and what happens at a collaboration meeting.",
        "body_sv": """<p>TIF är en metod där kommunen, polisen och ofta Tullverket arbetar tillsammans med personal på paketombud, terminaler och brevbärarkontor. Målet är att göra det svårare att skicka och ta emot narkotika och andra illegala varor med post och paket. Metoden hette tidigare Tillsammans mot nätdroger och har tagits fram av Länsstyrelsen Västernorrland.</p>
<h2>Vem deltar?</h2>
<ul>
<li><strong>Kommunen</strong> samordnar arbetet och bjuder in, tillsammans med polisen.</li>
<li><strong>Polisen och Tullverket</strong> berättar om vad som skickas, hur det upptäcks och hur ni når dem.</li>
<li><strong>Personal och chefer</strong> på paketombud, terminaler och brevbärarkontor. Ni ser försändelserna och de som hämtar dem varje dag.</li>
<li><strong>Länsstyrelsen</strong> stöttar kommunerna i länet och följer upp arbetet.</li>
</ul>
<h2>Så går det till</h2>
<ol>
<li>Kommunen och polisen bildar en lokal arbetsgrupp.</li>
<li>Arbetsgruppen bjuder in till ett samverkansmöte. Där går man igenom vilka varor som är olagliga, vad som kan väcka misstanke, vilka regler som gäller för att dela information och hur ni kontaktar polis och tull.</li>
<li>Arbetsplatser som deltagit får en dekal att sätta upp: ”Vi samarbetar mot illegala försändelser”.</li>
<li>Deltagarna ingår i ett lokalt nätverk och kan få information från arbetsgruppen via e-post. Det går alltid att lämna nätverket.</li>
<li>Ungefär ett år senare hålls ett uppföljningsmöte om beslag och läget i kommunen.</li>
</ol>
<p>Att delta kostar ingenting. Ingen förväntar sig att ni ska utreda brott: det räcker att ni vet vad ni ska vara uppmärksamma på och vem ni kan kontakta.</p>""",
        "body_en": """<p>TIF is a method in which the municipality, the police and often Swedish Customs work together with staff at parcel agents, terminals and letter-carrier offices. The aim is to make it harder to send and receive drugs and other illegal goods by post and parcel. The method was earlier called Together against online drugs and was developed by the County Administrative Board of Västernorrland.</p>
<h2>Who takes part?</h2>
<ul>
<li><strong>The municipality</strong> coordinates the work and sends the invitations together with the police.</li>
<li><strong>The police and Swedish Customs</strong> explain what is being sent, how it is found and how to reach them.</li>
<li><strong>Staff and managers</strong> at parcel agents, terminals and letter-carrier offices. You see the parcels and the people who collect them every day.</li>
<li><strong>The county administrative board</strong> supports the municipalities in the county and follows up the work.</li>
</ul>
<h2>How it works</h2>
<ol>
<li>The municipality and the police form a local working group.</li>
<li>The working group invites you to a collaboration meeting. It covers which goods are illegal, what can raise a suspicion, the rules on sharing information and how to contact the police and customs.</li>
<li>Workplaces that took part receive a decal to put up: “We collaborate against illegal parcels”.</li>
<li>Participants join a local network and may receive information from the working group by e-mail. You can always leave the network.</li>
<li>About a year later a follow-up meeting reports on seizures and the situation in the municipality.</li>
</ol>
<p>Taking part is free. Nobody expects you to investigate crimes: it is enough to know what to look out for and whom to contact.</p>""",
    },
    {
        "slug": "illegala-varor",
        "position": 20,
        "title_sv": "Illegala varor i paketflödet",
        "title_en": "Illegal goods in the parcel flow",
        "summary_sv": "Vilka varor det gäller och vad som kan väcka misstanke.",
        "summary_en": "Which goods are involved and what can raise a suspicion.",
        "body_sv": """<p>Det mesta som skickas med post och paket är helt lagligt. Men samma logistik används också för att sälja och köpa olagliga varor, ofta beställda på nätet.</p>
<h2>Vanliga illegala varor</h2>
<ul>
<li><strong>Narkotika</strong>, till exempel cannabis, kokain, amfetamin, narkotikaklassade läkemedel och nya syntetiska droger som säljs på nätet.</li>
<li><strong>Dopningsmedel</strong>, till exempel anabola steroider och tillväxthormon.</li>
<li><strong>Vapen och vapendelar</strong>, till exempel pipor, slutstycken och andra delar till skjutvapen som kräver licens.</li>
<li><strong>Falska id-handlingar</strong>, till exempel förfalskade pass, id-kort och körkort.</li>
<li><strong>Explosiva varor</strong>, till exempel sprängämnen, tändare till sprängämnen och kraftiga pyrotekniska varor.</li>
</ul>
<h2>Vad kan väcka misstanke?</h2>
<p>Ett enskilt tecken betyder sällan något. Flera tecken tillsammans kan vara skäl att kontakta polisen.</p>
<ul>
<li>Samma person hämtar många paket, ofta med olika namn som mottagare.</li>
<li>Många paket till samma adress men till olika namn, eller till namn som inte verkar finnas.</li>
<li>Den som hämtar har inte id-handling som stämmer, eller visar olika id-handlingar vid olika tillfällen.</li>
<li>Någon hämtar åt andra mot betalning, eller unga personer hämtar paket åt någon som väntar utanför.</li>
<li>Paketet luktar starkt, läcker, är ovanligt tejpat eller väger inte vad innehållet sägs vara.</li>
<li>Mottagaren verkar mycket nervös, har bråttom eller frågar om polisen kontrollerar paket.</li>
<li>Avsändaren är okänd eller ligger i ett land som ofta förekommer i beslag.</li>
</ul>
<h2>Vad ska du göra?</h2>
<ul>
<li>Öppna aldrig ett paket och konfrontera inte den som hämtar.</li>
<li>Följ din arbetsgivares rutiner och lämna ut paketet som vanligt om du inte fått andra instruktioner.</li>
<li>Skriv ner vad du såg: tid, paketets nummer, hur personen såg ut och vilket fordon som användes.</li>
<li>Kontakta polisen på 114 14 eller Tullverket. Ring 112 om det är akut.</li>
</ul>""",
        "body_en": """<p>Most of what is sent by post and parcel is entirely legal. But the same logistics are also used to sell and buy illegal goods, often ordered online.</p>
<h2>Common illegal goods</h2>
<ul>
<li><strong>Drugs</strong>, for example cannabis, cocaine, amphetamine, prescription drugs classed as narcotics and new synthetic drugs sold online.</li>
<li><strong>Doping agents</strong>, for example anabolic steroids and growth hormone.</li>
<li><strong>Weapons and weapon parts</strong>, for example barrels, bolts and other parts of firearms that require a licence.</li>
<li><strong>Counterfeit identity documents</strong>, for example forged passports, identity cards and driving licences.</li>
<li><strong>Explosives</strong>, for example explosive substances, detonators and powerful fireworks.</li>
</ul>
<h2>What can raise a suspicion?</h2>
<p>A single sign seldom means anything. Several signs together can be a reason to contact the police.</p>
<ul>
<li>The same person collects many parcels, often addressed to different names.</li>
<li>Many parcels to the same address but to different names, or to names that do not seem to exist.</li>
<li>The person collecting has no matching identity document, or shows different documents at different times.</li>
<li>Someone collects for others for payment, or young people collect parcels for someone waiting outside.</li>
<li>The parcel smells strongly, leaks, is taped in an unusual way or does not weigh what the contents are said to be.</li>
<li>The recipient seems very nervous, is in a hurry or asks whether the police check parcels.</li>
<li>The sender is unknown or in a country that often appears in seizures.</li>
</ul>
<h2>What should you do?</h2>
<ul>
<li>Never open a parcel and do not confront the person collecting it.</li>
<li>Follow your employer's routines and hand the parcel over as usual unless you have been told otherwise.</li>
<li>Write down what you saw: time, the parcel's number, what the person looked like and which vehicle was used.</li>
<li>Contact the police on 114 14 or Swedish Customs. Call 112 in an emergency.</li>
</ul>""",
    },
    {
        "slug": "informationsdelning",
        "position": 30,
        "title_sv": "Tystnadsplikt och informationsdelning enligt postlagen",
        "title_en": "Confidentiality and information sharing under the postal act",
        "summary_sv": "Vad du får berätta för polisen sedan den 2 januari 2023.",
        "summary_en": "What you may tell the police since 2 January 2023.",
        "body_sv": """<p>Den som arbetar med post och paket har tystnadsplikt enligt postlagen (2010:1045). Du får alltså inte berätta för vem som helst vem som skickar eller tar emot försändelser, eller vad de innehåller.</p>
<h2>Det här gäller sedan den 2 januari 2023</h2>
<p>Den 2 januari 2023 ändrades postlagen så att tystnadsplikten inte längre hindrar att du lämnar uppgifter till polisen <strong>på eget initiativ</strong> när du misstänker att en försändelse har med brott att göra. Du behöver inte vänta på att polisen frågar.</p>
<ul>
<li>Du får berätta om en enskild försändelse, till exempel dess nummer, mottagare, avsändare och vad som väckte din misstanke.</li>
<li>Du behöver inte vara säker på att det är ett brott. Det räcker att du har skäl att misstänka det.</li>
<li>Du får inte öppna paketet för att kontrollera innehållet.</li>
</ul>
<h2>När en myndighet frågar</h2>
<p>Om polisen, Tullverket eller en annan myndighet ber om uppgifter om en försändelse ska myndigheten ha stöd i lag för sin begäran. Be om att få begäran skriftligt eller be om namn och kontaktuppgifter, och lämna den vidare till din chef eller företagets säkerhetsfunktion enligt era rutiner. De avgör vilka uppgifter som kan lämnas ut.</p>
<h2>Tänk på</h2>
<ul>
<li>Berätta bara för polisen, Tullverket och de i företaget som behöver veta, inte för kollegor eller kunder i allmänhet.</li>
<li>Fråga din arbetsgivare hur er rutin ser ut innan något händer.</li>
</ul>""",
        "body_en": """<p>Anyone who works with post and parcels is bound by confidentiality under the Swedish Postal Services Act (postlagen, 2010:1045). You may not tell just anyone who sends or receives items, or what they contain.</p>
<h2>What applies since 2 January 2023</h2>
<p>On 2 January 2023 the postal act was changed so that confidentiality no longer prevents you from giving information to the police <strong>on your own initiative</strong> when you suspect that an item is linked to a crime. You do not have to wait for the police to ask.</p>
<ul>
<li>You may tell them about a single item, for example its number, recipient, sender and what made you suspicious.</li>
<li>You do not have to be sure that it is a crime. It is enough that you have reason to suspect it.</li>
<li>You may not open the parcel to check what it contains.</li>
</ul>
<h2>When an authority asks</h2>
<p>If the police, Swedish Customs or another authority asks for information about an item, the authority must have legal grounds for the request. Ask for the request in writing or for a name and contact details, and pass it on to your manager or the company's security function according to your routines. They decide what information can be disclosed.</p>
<h2>Keep in mind</h2>
<ul>
<li>Only tell the police, Swedish Customs and the people in your company who need to know, not colleagues or customers in general.</li>
<li>Ask your employer what your routine is before anything happens.</li>
</ul>""",
    },
    {
        "slug": "kontakta-polis-och-tull",
        "position": 40,
        "title_sv": "Så kontaktar du polisen och Tullverket",
        "title_en": "How to contact the police and Swedish Customs",
        "summary_sv": "114 14, 112 och Tullverket – när du ska använda vad.",
        "summary_en": "114 14, 112 and Swedish Customs – when to use which.",
        "body_sv": """<h2>Akut läge: ring 112</h2>
<p>Ring 112 om någon är i fara, om du blir hotad eller om ett brott pågår just nu.</p>
<h2>Tips och misstankar: ring 114 14</h2>
<p>Ring polisen på 114 14 när du vill lämna ett tips eller berätta om en misstänkt försändelse och det inte är akut. Du kan också lämna tips på polisen.se.</p>
<ul>
<li>Säg att du arbetar på ett paketombud, en terminal eller ett brevbärarkontor och att ni deltar i TIF.</li>
<li>Ha paketets nummer, tid och en beskrivning av personen och fordonet till hands.</li>
<li>Berätta vad som väckte din misstanke.</li>
</ul>
<h2>Tullverket</h2>
<p>Tullverket ansvarar för det som förs in i och ut ur Sverige. Misstänker du att en försändelse från utlandet innehåller smuggelgods kan du kontakta Tullverket via tipsfunktionen på tullverket.se eller Tullverkets kundtjänst på 0771-520 520.</p>
<h2>Era lokala kontakter</h2>
<p>Många arbetsgrupper har ett lokalt kontaktblad med namn och telefonnummer till poliser, tulltjänstemän och kommunens samordnare. Be arbetsgruppen om det och sätt upp det bakom disken.</p>""",
        "body_en": """<h2>Emergency: call 112</h2>
<p>Call 112 if someone is in danger, if you are threatened or if a crime is happening right now.</p>
<h2>Tips and suspicions: call 114 14</h2>
<p>Call the police on 114 14 when you want to give a tip or report a suspicious item and it is not an emergency. You can also give tips on polisen.se.</p>
<ul>
<li>Say that you work at a parcel agent, a terminal or a letter-carrier office and that you take part in TIF.</li>
<li>Have the parcel's number, the time and a description of the person and the vehicle at hand.</li>
<li>Explain what made you suspicious.</li>
</ul>
<h2>Swedish Customs</h2>
<p>Swedish Customs (Tullverket) is responsible for what is brought into and out of Sweden. If you suspect that an item from abroad contains smuggled goods, you can contact Swedish Customs through the tip function on tullverket.se or its customer service on +46 771 520 520.</p>
<h2>Your local contacts</h2>
<p>Many working groups have a local contact sheet with names and phone numbers of police officers, customs officers and the municipality's coordinator. Ask the working group for it and put it up behind the counter.</p>""",
    },
    {
        "slug": "hotfulla-kunder",
        "position": 50,
        "title_sv": "Att möta hotfulla eller påverkade kunder",
        "title_en": "Meeting threatening or intoxicated customers",
        "summary_sv": "Din säkerhet går först. Så kan du agera i stunden och efteråt.",
        "summary_en": "Your safety comes first. What you can do in the moment and afterwards.",
        "body_sv": """<p>Ibland möter du kunder som är arga, hotfulla eller påverkade av alkohol eller droger. Din egen och dina kollegors säkerhet går alltid först.</p>
<h2>I stunden</h2>
<ul>
<li>Håll dig lugn, tala lugnt och tydligt och undvik att argumentera.</li>
<li>Håll avstånd och se till att du har en väg bort från platsen.</li>
<li>Försök inte stoppa någon eller hålla kvar ett paket om det gör situationen farligare.</li>
<li>Ta hjälp av en kollega om det går.</li>
<li>Ring 112 om du eller någon annan blir hotad eller är i fara.</li>
</ul>
<h2>Efteråt</h2>
<ul>
<li>Skriv ner vad som hände, när, och hur personen såg ut, medan du minns det.</li>
<li>Berätta för din chef och följ arbetsgivarens rutiner för tillbud och hot.</li>
<li>Polisanmäl hot och våld. Du kan ringa 114 14 eller anmäla på polisen.se.</li>
<li>Prata med någon om det som hänt. Arbetsgivaren ska erbjuda stöd.</li>
</ul>""",
        "body_en": """<p>Sometimes you meet customers who are angry, threatening or under the influence of alcohol or drugs. Your own and your colleagues' safety always comes first.</p>
<h2>In the moment</h2>
<ul>
<li>Stay calm, speak calmly and clearly and avoid arguing.</li>
<li>Keep your distance and make sure you have a way out.</li>
<li>Do not try to stop anyone or hold back a parcel if that makes the situation more dangerous.</li>
<li>Get help from a colleague if you can.</li>
<li>Call 112 if you or someone else is threatened or in danger.</li>
</ul>
<h2>Afterwards</h2>
<ul>
<li>Write down what happened, when, and what the person looked like while you still remember.</li>
<li>Tell your manager and follow your employer's routines for incidents and threats.</li>
<li>Report threats and violence to the police. You can call 114 14 or report on polisen.se.</li>
<li>Talk to someone about what happened. Your employer should offer support.</li>
</ul>""",
    },
    {
        "slug": "efter-ett-beslag",
        "position": 60,
        "title_sv": "Vad händer efter ett beslag?",
        "title_en": "What happens after a seizure?",
        "summary_sv": "Vilken återkoppling du kan förvänta dig när polisen eller Tullverket har beslagtagit något.",
        "summary_en": "What feedback you can expect after the police or Swedish Customs seize something.",
        "body_sv": """<p>När ett tips leder till ett beslag vill du förstås veta hur det gick. Det finns dock gränser för vad polisen och Tullverket kan berätta.</p>
<h2>Om det enskilda ärendet</h2>
<ul>
<li>Under en förundersökning gäller ofta sekretess. Polisen kan då inte berätta vem som misstänks eller vad som hittades.</li>
<li>Du kan bli kontaktad för att berätta mer om vad du såg, och ibland kallas som vittne i en rättegång.</li>
<li>Det är normalt att du inte får något besked om just ditt tips. Det betyder inte att tipset var onödigt.</li>
</ul>
<h2>Återkoppling i nätverket</h2>
<ul>
<li>Arbetsgruppen berättar på uppföljningsmötet, ungefär ett år efter samverkansmötet, om beslag och läget i kommunen i stort, utan uppgifter om enskilda personer.</li>
<li>Som medlem i det lokala nätverket kan du också få information från arbetsgruppen via e-post.</li>
</ul>
<p>Varje tips hjälper polisen och Tullverket att se mönster. Tack för att du bidrar.</p>""",
        "body_en": """<p>When a tip leads to a seizure you will naturally want to know how it went. There are, however, limits to what the police and Swedish Customs can tell you.</p>
<h2>About the individual case</h2>
<ul>
<li>During a preliminary investigation secrecy often applies. The police then cannot tell you who is suspected or what was found.</li>
<li>You may be contacted to tell more about what you saw, and sometimes called as a witness at a trial.</li>
<li>It is normal not to hear back about your particular tip. That does not mean the tip was unnecessary.</li>
</ul>
<h2>Feedback in the network</h2>
<ul>
<li>At the follow-up meeting, about a year after the collaboration meeting, the working group reports on seizures and the overall situation in the municipality, without details about individuals.</li>
<li>As a member of the local network you may also receive information from the working group by e-mail.</li>
</ul>
<p>Every tip helps the police and Swedish Customs see patterns. Thank you for contributing.</p>""",
    },
]


def load(apps, schema_editor):
    Page = apps.get_model("knowledge", "Page")
    HistoricalPage = apps.get_model("knowledge", "HistoricalPage")
    from django.utils import timezone

    now = timezone.now()
    for data in PAGES:
        page, created = Page.objects.get_or_create(slug=data["slug"], defaults={**data, "updated_at": now})
        # The first version in the history, like every later save. Loaded through the live
        # models (the tests' reference data), the save has written it already.
        if created and not HistoricalPage.objects.filter(id=page.pk).exists():
            values = {f.attname: getattr(page, f.attname) for f in Page._meta.concrete_fields}
            HistoricalPage.objects.create(**values, history_date=now, history_type="+", history_change_reason="")


def unload(apps, schema_editor):
    apps.get_model("knowledge", "Page").objects.filter(slug__in=[p["slug"] for p in PAGES]).delete()


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
