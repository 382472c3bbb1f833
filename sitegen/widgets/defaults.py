"""Default example inputs, shown when a card has no `widget:` list."""
# Our own sentences (never the Hub's), per language and task, chosen by the card's first
# `language` that has them, else English. Inputs only: a default example never has an output.
# `<mask>` is replaced by the model's mask token.
from __future__ import annotations

from typing import Any

Example = dict[str, Any]

_EN: dict[str, list[Example]] = {
    "text-classification": [{"text": "The battery lasts two full days and the screen is easy to read in sunlight."}],
    "token-classification": [{"text": "Grace Hopper joined the Harvard Computation Lab in Cambridge in 1944."},
                             {"text": "The Danube flows through Vienna, Bratislava and Budapest."}],
    "question-answering": [{"text": "How tall is the lighthouse?",
                            "context": "The lighthouse on the northern cape was built in 1873. It is 42 metres tall and its lamp can be seen 30 kilometres out at sea."}],
    "table-question-answering": [{"text": "Which river is the longest?",
                                  "table": {"River": ["Loire", "Rhine", "Elbe"], "Length (km)": ["1006", "1233", "1094"]}}],
    "zero-shot-classification": [{"text": "The central bank raised interest rates by half a point on Tuesday.",
                                  "candidate_labels": "economy, sports, cooking, weather", "multi_class": False}],
    "translation": [{"text": "The museum opens at nine and closes early on Sundays."}],
    "summarization": [{"text": "The city council voted on Monday to turn the old freight station into a public library. Work will start next spring and is expected to take two years. The plan keeps the station's iron roof and adds a reading garden on the former loading platforms. Residents asked for longer opening hours, and the council agreed to open the library until ten in the evening on weekdays."}],
    "text-generation": [{"text": "The old map showed a path through the forest that nobody had walked in years, so"},
                        {"text": "Here is a simple recipe for tomato soup:"}],
    "fill-mask": [{"text": "The capital of Japan is <mask>."}, {"text": "She drinks a cup of <mask> every morning."}],
    "sentence-similarity": [{"source_sentence": "A man is playing the guitar on stage.",
                             "sentences": ["Someone performs music for an audience.", "A woman is reading in a library.", "A guitarist plays at a concert."]}],
    "feature-extraction": [{"text": "Static sites are fast to serve and easy to cache."}],
    "text-to-speech": [{"text": "Welcome aboard. The next stop is Central Station."}],
    "text-to-audio": [{"text": "Gentle rain on a tin roof with distant thunder."}],
    "text-to-image": [{"text": "A red fox asleep in the snow under a pine tree, watercolour"}],
    "conversational": [{"messages": [{"role": "user", "content": "Can you suggest three names for a small bakery by the sea?"}]}],
}

_FR: dict[str, list[Example]] = {
    "text-classification": [{"text": "Le service était lent, mais le repas valait vraiment l'attente."}],
    "token-classification": [{"text": "Marie Curie a reçu le prix Nobel à Stockholm en 1911."}],
    "question-answering": [{"text": "En quelle année le pont a-t-il été ouvert ?",
                            "context": "Le pont suspendu a été ouvert à la circulation en 1934. Il relie les deux rives du fleuve sur près de 600 mètres."}],
    "zero-shot-classification": [{"text": "L'équipe a remporté le match grâce à un but à la dernière minute.",
                                  "candidate_labels": "sport, politique, cuisine", "multi_class": False}],
    "translation": [{"text": "La bibliothèque est fermée le lundi matin."}],
    "summarization": [{"text": "La mairie a annoncé la création de trois nouvelles pistes cyclables dans le centre-ville. Les travaux commenceront en mars et dureront six mois. Les commerçants craignent une baisse de la fréquentation pendant le chantier, mais la mairie promet de maintenir l'accès aux boutiques."}],
    "text-generation": [{"text": "Il était une fois, dans un petit village de montagne,"}],
    "fill-mask": [{"text": "Paris est la <mask> de la France."}],
    "sentence-similarity": [{"source_sentence": "Il pleut depuis ce matin.",
                             "sentences": ["Le temps est pluvieux aujourd'hui.", "Le soleil brille sur la plage.", "J'ai oublié mon parapluie."]}],
    "conversational": [{"messages": [{"role": "user", "content": "Peux-tu m'expliquer la différence entre la météo et le climat ?"}]}],
}

_DE: dict[str, list[Example]] = {
    "text-classification": [{"text": "Die Lieferung kam pünktlich, aber die Verpackung war beschädigt."}],
    "token-classification": [{"text": "Albert Einstein lebte viele Jahre in Berlin, bevor er nach Princeton zog."}],
    "question-answering": [{"text": "Wie lang ist der Tunnel?",
                            "context": "Der Tunnel wurde 2016 eröffnet. Mit 57 Kilometern ist er einer der längsten Eisenbahntunnel der Welt."}],
    "zero-shot-classification": [{"text": "Der neue Prozessor ist doppelt so schnell wie sein Vorgänger.",
                                  "candidate_labels": "Technik, Sport, Politik", "multi_class": False}],
    "translation": [{"text": "Der Zug nach Hamburg fährt heute von Gleis sieben ab."}],
    "summarization": [{"text": "Die Stadt plant, den alten Hafen in ein Wohnviertel umzubauen. Bis 2030 sollen dort zweitausend Wohnungen, zwei Schulen und ein Park entstehen. Anwohner begrüßen die Pläne, fordern aber mehr bezahlbaren Wohnraum."}],
    "text-generation": [{"text": "Als sie die Tür zum Dachboden öffnete, sah sie"}],
    "fill-mask": [{"text": "Berlin ist die <mask> von Deutschland."}],
    "sentence-similarity": [{"source_sentence": "Das Kind spielt im Garten.",
                             "sentences": ["Ein Junge spielt draußen.", "Der Mann kocht das Abendessen.", "Ein Mädchen läuft über die Wiese."]}],
    "conversational": [{"messages": [{"role": "user", "content": "Wie kann ich beim Kochen Wasser sparen?"}]}],
}

_ES: dict[str, list[Example]] = {
    "text-classification": [{"text": "La película es demasiado larga, pero la música es preciosa."}],
    "token-classification": [{"text": "Gabriel García Márquez nació en Aracataca, Colombia."}],
    "question-answering": [{"text": "¿Cuándo se terminó la catedral?",
                            "context": "La construcción de la catedral empezó en 1220 y se terminó casi tres siglos después, en 1512."}],
    "zero-shot-classification": [{"text": "El equipo ganó la liga por tercera vez consecutiva.",
                                  "candidate_labels": "deportes, economía, ciencia", "multi_class": False}],
    "translation": [{"text": "El mercado abre todos los días a las ocho de la mañana."}],
    "summarization": [{"text": "El ayuntamiento ha aprobado un plan para plantar diez mil árboles en los próximos cinco años. Los nuevos árboles se colocarán sobre todo en los barrios con menos zonas verdes. El objetivo es reducir la temperatura en verano y mejorar la calidad del aire."}],
    "text-generation": [{"text": "Aquella mañana, el faro estaba en silencio y"}],
    "fill-mask": [{"text": "Madrid es la <mask> de España."}],
    "sentence-similarity": [{"source_sentence": "El perro duerme en el sofá.",
                             "sentences": ["Un perro descansa en casa.", "El gato caza un ratón.", "El sofá es de color azul."]}],
    "conversational": [{"messages": [{"role": "user", "content": "¿Qué puedo visitar en Sevilla en un solo día?"}]}],
}

_ZH: dict[str, list[Example]] = {
    "text-classification": [{"text": "这家餐厅的菜很好吃，服务也很周到。"}],
    "token-classification": [{"text": "李白出生于碎叶城，后来长期生活在长安。"}],
    "question-answering": [{"text": "这座桥有多长？", "context": "这座大桥于二〇一八年通车，全长五十五公里，连接了三座城市。"}],
    "zero-shot-classification": [{"text": "研究人员发现了一种新的深海鱼类。",
                                  "candidate_labels": "科学, 体育, 娱乐", "multi_class": False}],
    "translation": [{"text": "图书馆每天早上九点开门。"}],
    "summarization": [{"text": "市政府宣布，将在明年春天开通一条新的地铁线路。新线路全长三十公里，设有二十二个车站，连接机场和市中心。开通后，从机场到市中心的时间将缩短到二十五分钟。"}],
    "text-generation": [{"text": "那天晚上，月亮特别圆，"}],
    "fill-mask": [{"text": "北京是中国的<mask>都。"}],
    "sentence-similarity": [{"source_sentence": "今天的天气很好。",
                             "sentences": ["今天阳光明媚。", "我昨天去了超市。", "外面正在下大雨。"]}],
    "conversational": [{"messages": [{"role": "user", "content": "请推荐三本适合初学者的编程书。"}]}],
}

_AR: dict[str, list[Example]] = {
    "text-classification": [{"text": "كان الفندق نظيفًا والموظفون لطفاء جدًا."}],
    "token-classification": [{"text": "وُلد ابن خلدون في تونس عام 1332."}],
    "question-answering": [{"text": "متى افتُتح المتحف؟", "context": "افتُتح المتحف الوطني عام 1997، ويضم أكثر من عشرة آلاف قطعة أثرية."}],
    "translation": [{"text": "يبدأ القطار رحلته في السابعة صباحًا."}],
    "summarization": [{"text": "أعلنت البلدية عن افتتاح حديقة عامة جديدة في وسط المدينة الشهر المقبل. تضم الحديقة ممرات للمشي وملعبًا للأطفال ومكتبة صغيرة في الهواء الطلق."}],
    "text-generation": [{"text": "في صباح ذلك اليوم، خرج الصياد إلى البحر"}],
    "fill-mask": [{"text": "القاهرة هي <mask> مصر."}],
    "sentence-similarity": [{"source_sentence": "الطفل يقرأ كتابًا.",
                             "sentences": ["ولد صغير يقرأ قصة.", "الرجل يقود سيارة.", "البنت تكتب رسالة."]}],
}

DEFAULTS: dict[str, dict[str, list[Example]]] = {
    "en": _EN, "fr": _FR, "de": _DE, "es": _ES, "zh": _ZH, "ar": _AR,
}
# Cards name languages in several ways; these point at the table's keys.
ALIASES = {"eng": "en", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de", "spa": "es",
           "zho": "zh", "chi": "zh", "cmn": "zh", "ara": "ar"}


def default_examples(task: str, languages: tuple[str, ...], mask_token: str) -> tuple[str, list[Example]]:
    """Return (language, examples) for a task, by the card's languages, else English."""
    for lang in languages:
        code = lang.lower().split("-")[0].split("_")[0]
        code = ALIASES.get(code, code)
        if task in DEFAULTS.get(code, {}):
            return code, _with_mask(DEFAULTS[code][task], mask_token)
    if task in _EN:
        return "en", _with_mask(_EN[task], mask_token)
    return "", []


def _with_mask(examples: list[Example], mask_token: str) -> list[Example]:
    return [{k: v.replace("<mask>", mask_token) if isinstance(v, str) else v for k, v in e.items()}
            for e in examples]
