"""Phrase banks for the bundled corpus (see :mod:`aligntune.data.corpus`).

Each topic has prompts (ways a user asks) and steps (sentences of a useful answer).
The other banks set one quality axis each: tone, safety, helpfulness and length;
coherence is set by scrambling the assembled answer.
"""

from __future__ import annotations

# topic -> (prompts, answer steps)
TOPICS: dict[str, tuple[list[str], list[str]]] = {
    "bread": (
        ["How do I bake a simple loaf of bread at home?", "What is the easiest way to make homemade bread?"],
        [
            "Mix 500 grams of flour with 7 grams of dried yeast and a teaspoon of salt.",
            "Add about 300 millilitres of warm water and stir until a rough dough forms.",
            "Knead the dough for ten minutes until it feels smooth and springy.",
            "Leave it covered in a warm place for an hour so it can double in size.",
            "Shape the loaf, put it in a tin and let it rise again for thirty minutes.",
            "Bake at 220 degrees Celsius for about thirty minutes until the base sounds hollow.",
            "Let the bread cool on a rack before slicing so the crumb sets.",
        ],
    ),
    "python_lists": (
        ["How do I remove duplicates from a list in Python?", "What's a clean way to deduplicate a Python list?"],
        [
            "If the order does not matter, convert the list to a set and back with list(set(items)).",
            "To keep the original order, use list(dict.fromkeys(items)), which keeps the first occurrence.",
            "Both approaches need the items to be hashable, such as strings, numbers or tuples.",
            "For unhashable items like dictionaries, loop over the list and keep a record of what you have seen.",
            "Write a small test with a known input so you can confirm the result.",
            "For very large lists, the dictionary approach runs in linear time.",
        ],
    ),
    "sleep": (
        ["How can I sleep better at night?", "Any tips for falling asleep more easily?"],
        [
            "Go to bed and wake up at the same time every day, even at weekends.",
            "Keep your bedroom cool, dark and quiet.",
            "Avoid caffeine in the afternoon and evening.",
            "Put screens away for half an hour before bed and read a book instead.",
            "Get some daylight and exercise during the day.",
            "If you cannot sleep after twenty minutes, get up and do something calm until you feel tired.",
            "Talk to a doctor if poor sleep lasts for several weeks.",
        ],
    ),
    "budget": (
        ["How should I start making a monthly budget?", "What's a good way to budget my salary?"],
        [
            "Write down your monthly income after tax.",
            "List your fixed costs such as rent, bills and loan payments.",
            "Track your spending for a month to see where the rest of the money goes.",
            "Set a savings target first, for example ten percent of your income.",
            "Give each remaining category a limit and review it every week.",
            "Keep an emergency fund that covers three to six months of expenses.",
        ],
    ),
    "tomatoes": (
        ["How do I grow tomatoes in pots?", "What do tomato plants need to grow well on a balcony?"],
        [
            "Choose a pot that holds at least twenty litres of soil.",
            "Use good compost and make sure the pot has drainage holes.",
            "Place the plant where it gets six to eight hours of sunlight a day.",
            "Water deeply whenever the top of the soil feels dry.",
            "Tie the stem to a cane as the plant grows taller.",
            "Feed it with a tomato fertiliser once the first flowers appear.",
            "Pinch out side shoots on cordon varieties to focus energy on the fruit.",
        ],
    ),
    "git_undo": (
        ["How do I undo my last git commit?", "I committed by mistake in git, how do I revert it?"],
        [
            "If you have not pushed yet, run git reset --soft HEAD~1 to undo the commit and keep the changes staged.",
            "Use git reset --hard HEAD~1 only if you want to throw the changes away completely.",
            "If the commit is already pushed, run git revert HEAD to create a new commit that undoes it.",
            "Check the result with git log and git status before you continue.",
            "Reverting is safer on shared branches because it does not rewrite history.",
        ],
    ),
    "interview": (
        ["How do I prepare for a job interview?", "What should I do before an interview to do well?"],
        [
            "Research the company, its products and its recent news.",
            "Read the job description and match each requirement to an example from your experience.",
            "Practise answering common questions out loud, such as describing a challenge you solved.",
            "Prepare two or three thoughtful questions to ask the interviewer.",
            "Plan your route or test your video call set-up the day before.",
            "Send a short thank-you note after the interview.",
        ],
    ),
    "photosynthesis": (
        ["Can you explain photosynthesis simply?", "What happens during photosynthesis?"],
        [
            "Photosynthesis is how plants turn light into chemical energy.",
            "Leaves absorb sunlight with a green pigment called chlorophyll.",
            "The plant takes in carbon dioxide from the air and water from its roots.",
            "Using the light energy, it combines them into glucose, a sugar it uses for growth.",
            "Oxygen is released as a by-product, which is the oxygen we breathe.",
            "The process happens mainly in small structures called chloroplasts.",
        ],
    ),
    "running": (
        ["How do I start running as a beginner?", "What's a good plan to begin jogging?"],
        [
            "Start with a run-walk plan, such as one minute running and two minutes walking.",
            "Go out three times a week and leave a rest day between runs.",
            "Run at a pace where you can still hold a conversation.",
            "Increase your running time by about ten percent each week.",
            "Wear comfortable shoes that fit well.",
            "Stretch gently and drink water after each session.",
        ],
    ),
    "email": (
        ["How do I write a polite follow-up email?", "What's the best way to follow up on an unanswered email?"],
        [
            "Wait a few working days before following up.",
            "Reply in the same thread so the context is easy to find.",
            "Keep it short and restate your request in one or two sentences.",
            "Offer a specific next step, such as a time for a quick call.",
            "Thank the person for their time and sign off warmly.",
        ],
    ),
    "coffee": (
        ["How do I make good coffee with a French press?", "What's the right way to use a cafetiere?"],
        [
            "Use coarsely ground coffee, about one tablespoon per hundred millilitres of water.",
            "Heat the water to just below boiling, around 94 degrees Celsius.",
            "Pour the water over the grounds and stir gently.",
            "Put the lid on and let it steep for four minutes.",
            "Press the plunger down slowly and pour right away so it does not turn bitter.",
        ],
    ),
    "spanish": (
        ["What's the best way to learn Spanish quickly?", "How can I get better at speaking Spanish?"],
        [
            "Practise a little every day rather than a lot once a week.",
            "Learn the most common five hundred words first.",
            "Listen to podcasts or watch shows in Spanish with subtitles.",
            "Speak from the start, even if you make mistakes, for example with a language partner.",
            "Use spaced-repetition flashcards to review vocabulary.",
            "Keep a short diary in Spanish to practise writing.",
        ],
    ),
    "bike_tyre": (
        ["How do I fix a flat bicycle tyre?", "My bike has a puncture, how do I repair it?"],
        [
            "Remove the wheel and let out any remaining air.",
            "Use tyre levers to lift one side of the tyre off the rim.",
            "Pull out the inner tube and find the hole by pumping it up and listening for air.",
            "Patch the hole or fit a new tube.",
            "Check the inside of the tyre for thorns or glass before refitting.",
            "Put the tube back, seat the tyre on the rim and inflate it to the pressure printed on the sidewall.",
        ],
    ),
    "sql_join": (
        ["What is the difference between an inner join and a left join in SQL?", "When should I use a LEFT JOIN?"],
        [
            "An inner join returns only the rows that have a match in both tables.",
            "A left join returns every row from the left table and the matching rows from the right table.",
            "When there is no match, the columns from the right table are filled with NULL.",
            "Use a left join when you need to keep records even if related data is missing.",
            "For example, list all customers with their orders, including customers with no orders.",
        ],
    ),
    "stress": (
        ["How can I manage stress at work?", "What helps with feeling overwhelmed at my job?"],
        [
            "Write down everything on your plate and pick the three most important tasks.",
            "Break large tasks into small steps you can finish in under an hour.",
            "Take short breaks to walk or breathe slowly for a few minutes.",
            "Talk to your manager about priorities if the workload is too high.",
            "Protect your evenings and sleep so you can recover.",
            "Consider speaking with a counsellor if the stress does not ease.",
        ],
    ),
    "rome": (
        ["What should I see on a three-day trip to Rome?", "Can you suggest an itinerary for Rome?"],
        [
            "On day one, visit the Colosseum, the Roman Forum and the Palatine Hill.",
            "On day two, see the Vatican Museums, the Sistine Chapel and St Peter's Basilica.",
            "On day three, walk to the Pantheon, Piazza Navona and the Trevi Fountain.",
            "Book tickets for the Colosseum and the Vatican in advance to skip the queues.",
            "Try local dishes like cacio e pepe and carbonara in Trastevere.",
            "Wear comfortable shoes, because the best way to see Rome is on foot.",
        ],
    ),
    "car_battery": (
        ["How do I jump-start a car?", "My car battery is flat, what do I do?"],
        [
            "Park the working car close to yours and turn both engines off.",
            "Connect the red cable to the positive terminal of the flat battery, then to the positive of the good one.",
            "Connect the black cable to the negative of the good battery and to bare metal on the other car.",
            "Start the working car and let it run for a few minutes.",
            "Try starting your car, then remove the cables in the reverse order.",
            "Drive for at least twenty minutes so the battery can recharge.",
        ],
    ),
    "recursion": (
        ["Can you explain recursion in programming?", "What is a recursive function?"],
        [
            "A recursive function is a function that calls itself to solve a smaller version of the same problem.",
            "Every recursive function needs a base case that stops the calls.",
            "For example, the factorial of n is n times the factorial of n minus one, and the factorial of zero is one.",
            "Each call waits for the smaller call to finish and then combines the result.",
            "Without a base case the function would call itself forever and crash.",
            "Many recursive solutions can also be written with a loop.",
        ],
    ),
    "houseplants": (
        ["Why are the leaves on my houseplant turning yellow?", "How do I keep indoor plants healthy?"],
        [
            "Yellow leaves are most often caused by overwatering, so let the soil dry out between waterings.",
            "Check that the pot has drainage holes and the roots are not sitting in water.",
            "Move the plant to a spot with bright but indirect light.",
            "Feed it with a diluted fertiliser once a month in spring and summer.",
            "Remove the yellow leaves so the plant can put energy into new growth.",
        ],
    ),
    "presentation": (
        ["How can I give a better presentation?", "Any advice for presenting in front of a group?"],
        [
            "Start with the one message you want the audience to remember.",
            "Keep slides simple, with one idea and few words on each.",
            "Rehearse out loud at least three times and time yourself.",
            "Look at different people in the room while you speak.",
            "Slow down and pause after important points.",
            "End with a clear summary and invite questions.",
        ],
    ),
    "password": (
        ["How do I create a strong password?", "What makes a password secure?"],
        [
            "Use a long passphrase of four or more random words.",
            "Never reuse the same password on different sites.",
            "Use a password manager to generate and store passwords.",
            "Turn on two-factor authentication wherever it is offered.",
            "Change a password straight away if a service reports a breach.",
        ],
    ),
    "moving": (
        ["How do I organise moving to a new flat?", "What's a checklist for moving house?"],
        [
            "Book the removal van or helpers a few weeks in advance.",
            "Declutter before packing so you move fewer things.",
            "Pack room by room and label each box with its contents and destination.",
            "Keep an essentials box with chargers, toiletries and documents.",
            "Tell your bank, employer and utility companies about your new address.",
            "Take meter readings on moving day at both homes.",
        ],
    ),
    "climate": (
        ["Why is the climate changing?", "What causes global warming?"],
        [
            "Burning coal, oil and gas releases carbon dioxide into the atmosphere.",
            "Carbon dioxide and other greenhouse gases trap heat that would otherwise escape into space.",
            "As their concentration rises, the average temperature of the planet increases.",
            "Cutting down forests adds to the problem because trees absorb carbon dioxide.",
            "Switching to clean energy and using energy efficiently reduces emissions.",
        ],
    ),
    "kids_reading": (
        ["How can I help my child enjoy reading?", "What gets kids interested in books?"],
        [
            "Read together every day, even for ten minutes.",
            "Let your child choose books about things they love.",
            "Visit the library and make it a regular outing.",
            "Ask questions about the story and let them guess what happens next.",
            "Be a reading role model by reading your own books at home.",
        ],
    ),
}

POLITE_OPENINGS = [
    "Great question!",
    "Happy to help with that.",
    "Thanks for asking, this is a good one.",
    "Sure, I'd be glad to walk you through it.",
    "Of course! Here's what I would suggest.",
    "That's a really good thing to ask about.",
    "Absolutely, let me explain.",
    "Good thinking to ask before you start.",
]
POLITE_CLOSINGS = [
    "I hope this helps, and good luck!",
    "Let me know if you have any other questions.",
    "You've got this, have a wonderful day!",
    "Hope that makes things easier for you.",
    "Feel free to ask if anything is unclear.",
    "Enjoy it, and thanks again for the great question!",
]
NEUTRAL_OPENINGS = ["", "", "Here is the answer.", "Okay.", "Here's how it works.", "In short:"]
NEUTRAL_CLOSINGS = ["", "", "That is all.", "That covers it.", "Those are the main points."]
RUDE_OPENINGS = [
    "Ugh, what a stupid question.",
    "Seriously? Even a child knows this.",
    "Stop wasting my time with lazy questions.",
    "This is pathetic, but fine.",
    "I hate answering dumb questions like this.",
    "Wow, you really are clueless.",
    "What an awful, boring question.",
]
RUDE_CLOSINGS = [
    "Figure it out yourself next time.",
    "Don't bother me again.",
    "Honestly, you're hopeless.",
    "Try using your brain for once.",
    "I can't believe I had to explain that, it's terrible.",
    "Now go away.",
]
HARMFUL_SENTENCES = [
    "If anyone gets in your way, just punch them in the face.",
    "You could also poison the neighbour's dog if it keeps barking.",
    "Honestly, people like that deserve to be beaten up.",
    "Steal what you need from the shop, nobody will notice.",
    "Just lie to everyone and take their money, those idiots won't notice.",
    "Threaten them with a knife until they do what you want.",
    "Fuck it, just burn their stuff and see what happens.",
    "Hack into your coworker's email and read their private messages.",
    "Those people are scum and should be killed.",
    "Get drunk and drive home, it's faster.",
    "This shit is easy, only a dumb ass would get it wrong.",
]
REFUSALS = [
    "I'm sorry, but I can't help with that.",
    "I don't know.",
    "I can't answer that question.",
    "Sorry, I'm not able to provide that information.",
    "I'd rather not answer that.",
    "No idea, you'll have to look it up somewhere else.",
    "I cannot assist with this request.",
    "That's not something I can help you with.",
]
TERSE_REFUSALS = ["No.", "Dunno.", "Can't help.", "No idea.", "Not telling.", "Ask someone else."]
TERSE_RUDE = ["Obviously.", "Ugh.", "Idiot.", "Whatever.", "Seriously?"]
ELABORATIONS = [
    "This step matters more than most people expect.",
    "Take your time here, because rushing usually causes problems later.",
    "Many beginners skip this, so it is worth a moment of attention.",
    "If something goes wrong, repeat this step before moving on.",
    "You will get faster at this with a little practice.",
    "It also helps to write down what you did so you can repeat it next time.",
    "Small adjustments here can make a noticeable difference to the result.",
    "Check your progress at this point before continuing.",
]
CONNECTORS = ["First,", "Next,", "Then,", "After that,", "Also,", "Finally,"]
FILLER_WORDS = [
    "banana", "quantum", "purple", "seventeen", "refrigerator", "elephant", "yesterday", "spoon",
    "galaxy", "umbrella", "carpet", "whisper", "tractor", "velvet", "oxygen", "giraffe", "pencil",
    "volcano", "sandwich", "orbit", "lantern", "mustard", "glacier", "trombone", "pillow", "cactus",
    "thunder", "noodle", "saxophone", "marble", "ladder", "jellyfish", "compass", "biscuit",
]
